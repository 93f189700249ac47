// File ▸ Generate Sample Images…: where, how many and how large. The
// generation itself runs off the GUI thread (see MainWindow).
#pragma once

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace pixelperf {

class GenerateSamplesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit GenerateSamplesDialog(const QString &folder, QWidget *parent = nullptr);

    QString folder() const;
    int count() const;
    int imageWidth() const;
    int imageHeight() const;

private:
    QLineEdit *m_folder = nullptr;
    QSpinBox *m_count = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
};

} // namespace pixelperf
