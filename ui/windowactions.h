// The window's actions (menus and toolbar): text, shortcut, tooltip and an
// icon that reads on the current palette. Built here; MainWindow connects
// them and decides when each is enabled.
#pragma once

#include <QObject>

class QAction;
class QMenuBar;
class QWidget;

namespace pixelperf {

struct WindowActions {
    QAction *open = nullptr;
    QAction *download = nullptr;
    QAction *generate = nullptr;
    QAction *openOutput = nullptr;
    QAction *openReport = nullptr;
    QAction *exportReport = nullptr;
    QAction *quit = nullptr;
    QAction *run = nullptr;
    QAction *cancel = nullptr;
    QAction *compare = nullptr;
    QAction *compareRuns = nullptr;
    QAction *ablation = nullptr;
    QAction *togglesHelp = nullptr;
    QAction *about = nullptr;

    // All of them, children of `window`; Quit, Toggles Explained and About
    // already do what they say.
    static WindowActions create(QWidget *window);
    // Help: the toggles explained, About PixelPerf, About Qt.
    void addHelpMenu(QMenuBar *menuBar) const;
    // Icons redrawn for the window's palette (after a palette change).
    void updateIcons(const QWidget *window) const;
};

} // namespace pixelperf
