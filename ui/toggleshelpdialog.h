// Help ▸ Toggles explained: every toggle from core's table, what on and off
// do, the stage it affects and whether it changes the output.
#pragma once

#include <QDialog>

namespace pixelperf {

class TogglesHelpDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TogglesHelpDialog(QWidget *parent = nullptr);
};

} // namespace pixelperf
