// The input: which folder (File ▸ Open, a drop anywhere on the window, the
// recent folders, generated samples) or which image files (dropped), its
// images with each one's status, and where the outputs go. The folder is listed off the GUI thread by
// core's scan, the listing a run makes itself; a run that finds other files
// (the folder changed meanwhile) replaces the list with what it processed.
#pragma once

#include "apppaths.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QMenu;
class QMimeData;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;

namespace pixelperf {

class DropOverlay;
class ImageListModel;
class JobTracker;
class PreviewPane;
class WindowSettings;
struct RunResult;

class FolderPanel : public QWidget
{
    Q_OBJECT
public:
    FolderPanel(WindowSettings *settings, PreviewPane *preview, QWidget *parent = nullptr);

    // Drops anywhere on `window` open folders, with an overlay saying what a
    // drop would do.
    void acceptDropsOn(QWidget *window);
    // While locked (a run or a measurement going), opening is refused with
    // `reason`.
    void setLocked(bool locked, const QString &reason);

    // Starts listing the folder (or an image file's folder); opened() or
    // failed() follows. False, with failed(), when it is no folder or locked.
    // The files chosen before are forgotten: the folder's images run.
    bool openFolder(const QString &path);
    // Makes exactly these image files the input, as core's scan takes them;
    // opened() follows with the folder they are shown under. False when
    // locked or given none.
    bool openFiles(const QStringList &files);
    // What dropped paths name: a folder opened, or image files (a folder
    // and files together are refused, saying why). False when nothing opens.
    bool openPaths(const QStringList &paths);
    // The image files chosen (a drop of files); empty when a folder's
    // images are the input.
    QStringList inputFiles() const { return m_files; }
    // What the input is called: the folder's name, or "3 files from Photos".
    QString inputName() const;
    bool isListing() const;
    void chooseFolder();
    // Writes `count` synthetic images into `dir` off the GUI thread, with a
    // progress dialog, then opens the folder. False when already generating.
    bool generateSamplesInto(const QString &dir, int count, int width, int height);
    void chooseAndGenerateSamples();
    // Photos from a manifest of URLs; the folder opens when asked.
    void chooseAndDownloadSamples();
    bool isGenerating() const;
    void openOutputFolder();

    QString folder() const;
    QString outputFolder() const;
    ImageListModel *images() const { return m_images; }
    QTreeView *view() const { return m_view; }
    QMenu *recentMenu() const { return m_recentMenu; }

    // A run has finished: its files and records; the preview follows.
    // `followedLive`: the list took the run's records from its snapshots
    // as it went; only rows still waiting take theirs from the result.
    void showRun(const RunResult &run, bool followedLive = false);
    // The selected image before and after; `reload` reads the output again
    // even when its name has not changed (a run has just rewritten it).
    void showSelectedImage(bool reload);
    // Makes `path` the current row (and so the preview); false when it is
    // not listed.
    bool selectImage(const QString &path);

signals:
    void opened(const QString &dir);
    // The folder could not be listed: `error` says why.
    void openFailed(const QString &dir, const QString &error);
    void status(const QString &message, int timeoutMs);
    // Listing or generating started or ended.
    void busyChanged();
    // The current row changed: its file (empty for none).
    void imageSelected(const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildHeader();
    QTreeView *buildView();
    struct Listing;
    bool openChoice(const InputChoice &choice);
    // Lists `dir`, or with `chosen` files those files (core's scan, off the
    // GUI thread); `leftOut` is said with the result.
    void startListing(const QString &dir, const QStringList &chosen, const QString &leftOut);
    void onListed(const Listing &listing);
    void updateHeader();
    void fitColumns();
    void rebuildRecentMenu();
    InputChoice inputsForDrop(const QMimeData *mime) const;
    QString dropInvitation(const InputChoice &choice) const;
    bool handleDrag(QEvent *event);

    WindowSettings *m_settings;
    PreviewPane *m_preview;
    ImageListModel *m_images = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    JobTracker *m_listing = nullptr;
    QString m_listingDir; // the folder being listed
    JobTracker *m_generating = nullptr;
    DropOverlay *m_overlay = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLabel *m_outputLabel = nullptr;
    QPushButton *m_openOutput = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QTreeView *m_view = nullptr;
    QMenu *m_recentMenu = nullptr;
    bool m_locked = false;
    QString m_lockReason;
    QStringList m_files; // the chosen files, when they (not a folder) are the input
};

} // namespace pixelperf
