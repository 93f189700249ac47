// The highlight over the whole window while something is dragged over it:
// says what a drop would do (or why it would not work).
#pragma once

#include <QWidget>

namespace pixelperf {

class DropOverlay : public QWidget
{
    Q_OBJECT
public:
    explicit DropOverlay(QWidget *parent);

    // Shown over the parent, with the message; `usable` false draws it as a
    // refusal.
    void showMessage(const QString &message, bool usable);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString m_message;
    bool m_usable = true;
};

} // namespace pixelperf
