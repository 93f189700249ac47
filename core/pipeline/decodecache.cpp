#include "pipeline/decodecache.h"

#include "pipeline/stages/load.h"

namespace pixelperf {

DecodeCache &DecodeCache::instance()
{
    static DecodeCache cache;
    return cache;
}

std::shared_ptr<const DecodedImage> DecodeCache::find(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_index.find(key);
    if (it == m_index.end())
        return nullptr;
    m_entries.splice(m_entries.begin(), m_entries, it.value());
    return m_entries.front().image;
}

void DecodeCache::insert(const QString &key, std::shared_ptr<const DecodedImage> image)
{
    const int64_t bytes = int64_t(image->pixels.byteSize());
    QMutexLocker lock(&m_mutex);
    if (bytes > m_capacity || m_index.contains(key))
        return;
    m_entries.push_front({ key, std::move(image), bytes });
    m_index.insert(key, m_entries.begin());
    m_size += bytes;
    evictLocked();
}

void DecodeCache::setCapacityBytes(int64_t bytes)
{
    QMutexLocker lock(&m_mutex);
    m_capacity = bytes;
    evictLocked();
}

int64_t DecodeCache::sizeBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_size;
}

int DecodeCache::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

void DecodeCache::clear()
{
    std::list<Entry> dropped;
    {
        QMutexLocker lock(&m_mutex);
        dropped.swap(m_entries);
        m_index.clear();
        m_size = 0;
    }
}

void DecodeCache::evictLocked()
{
    while (m_size > m_capacity && !m_entries.empty()) {
        m_size -= m_entries.back().bytes;
        m_index.remove(m_entries.back().key);
        m_entries.pop_back();
    }
}

} // namespace pixelperf
