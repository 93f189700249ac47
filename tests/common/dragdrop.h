// What a file manager's drag and drop does to a window, as far as the window
// can tell: enter, move, and drop of local (or remote) URLs at its centre.
#pragma once

#include "dropoverlay.h"

#include <QCoreApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace pixelperf::test {

// What the window showed while the drag was over it.
struct DragSeen {
    bool highlighted = false; // the overlay was up and the drag accepted
    bool usable = false; // the overlay invited the drop (else it said why not)
    QString message;
};

// Drags `urls` over `target` and drops them; the overlay as it was before the drop.
inline DragSeen dragAndDrop(QWidget *target, const QList<QUrl> &urls)
{
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &move);
    DragSeen seen;
    if (auto *overlay = target->findChild<DropOverlay *>()) {
        seen.highlighted = overlay->isVisible() && enter.isAccepted();
        seen.usable = overlay->isUsable();
        seen.message = overlay->message();
    }
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return seen;
}

} // namespace pixelperf::test
