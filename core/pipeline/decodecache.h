// decode-cache: decoded inputs kept in a size-bounded LRU cache, so the next
// run on the same folder skips reading and decoding. Process-wide.
#pragma once

#include "pipeline/pixelbuffer.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <list>
#include <memory>

namespace pixelperf {

struct DecodedImage;

class DecodeCache
{
public:
    static DecodeCache &instance();

    std::shared_ptr<const DecodedImage> find(const QString &key);
    void insert(const QString &key, std::shared_ptr<const DecodedImage> image);
    void setCapacityBytes(int64_t bytes);
    int64_t sizeBytes() const;
    int count() const;
    void clear();

private:
    struct Entry {
        QString key;
        std::shared_ptr<const DecodedImage> image;
        int64_t bytes;
    };
    void evictLocked();

    mutable QMutex m_mutex;
    std::list<Entry> m_entries; // most recently used first
    QHash<QString, std::list<Entry>::iterator> m_index;
    int64_t m_capacity = int64_t(256) << 20;
    int64_t m_size = 0;
};

} // namespace pixelperf
