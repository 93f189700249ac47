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
    QString message() const { return m_message; }
    // False: the drop would be refused, and the overlay says why.
    bool isUsable() const { return m_usable; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString m_message;
    bool m_usable = true;
};

} // namespace pixelperf
