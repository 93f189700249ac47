// Where outputs may go: folders created with the reason when they cannot be,
// and paths compared by what the kernel resolves them to (device and inode),
// not by their spelling, so that no symbolic link, "..", or bind mount lets
// an output or a report land on an input.
#pragma once

#include <QSet>
#include <QString>

#include <mutex>

namespace pixelperf {

struct PipelineConfig;

// Creates `path` and its missing parents. Empty on success, else what failed
// and why ("cannot create output folder out/a: Read-only file system").
QString makeFolder(const QString &path, const QString &what);

// Creates the folder `path` below `root` (which exists) and its missing
// parents, none of them outside `root` as the kernel resolves them: the
// deepest part that exists (a link counts, dangling or not) must lie in
// `root` before anything is made below it, and `path` must after. Empty
// on success, else why not ("output folder out/sub leads outside out (a
// symbolic link?)").
QString makeFolderInside(const QString &path, const QString &root);

// The folders one run saves its outputs in, each made (or found) and checked
// once: workers saving images of one subfolder ask for it again for every
// image, and makeFolderInside's stat walk and two inside-checks each time
// cost more than the look-up. Safe from any thread. A folder that could not
// be made is tried again (and its reason given again) for the next image.
class OutputFolders
{
public:
    // `root`: the run's output folder, absolute, as the outputs are spelt.
    void setRoot(const QString &root);
    // `dir` made: the root itself with mkpath, a folder below it with
    // makeFolderInside. Empty on success (at once when made before), else why not.
    QString make(const QString &dir);
    // Every folder checked again at its next make(): one was found gone
    // (deleted while the run went).
    void forgetAll();

private:
    std::mutex m_mutex;
    QString m_root;
    QSet<QString> m_made;
};

// Both exist and are the same file or folder (device and inode).
bool sameFileOrFolder(const QString &a, const QString &b);

// `path` (which exists) is `folder` or lies anywhere below it, as the kernel
// resolves "..", links and mounts.
bool isInsideFolder(const QString &path, const QString &folder);

// Why a report or export at `path` may not be written for a run of
// `config`: empty when it may. Its folder must exist and not be one of the
// run's input folders (given files: each one's own folder), nor, in a
// recursive run, lie below one (where the inputs are); the output folder is
// fine, inside an input folder or not; and a file can be made there. A
// symbolic link at `path` is followed (the report replaces the file it leads
// to, which must pass the same checks); a device, a pipe or a descriptor
// (/dev/stdout) passes.
QString exportPathProblem(const QString &path, const PipelineConfig &config);

} // namespace pixelperf
