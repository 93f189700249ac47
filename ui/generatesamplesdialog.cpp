#include "generatesamplesdialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace pixelperf {

GenerateSamplesDialog::GenerateSamplesDialog(const QString &folder, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Generate Sample Images"));
    auto *form = new QFormLayout(this);
    auto *intro = new QLabel(tr("Photo-like synthetic JPEGs, made on this machine (no network needed). "
                                "Existing files are never overwritten."),
        this);
    intro->setWordWrap(true);
    form->addRow(intro);

    auto *row = new QHBoxLayout;
    m_folder = new QLineEdit(folder, this);
    auto *browse = new QPushButton(tr("Browse…"), this);
    row->addWidget(m_folder, 1);
    row->addWidget(browse);
    form->addRow(tr("&Folder:"), row);
    static_cast<QLabel *>(form->labelForField(row))->setBuddy(m_folder);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir
            = QFileDialog::getExistingDirectory(this, tr("Folder for the samples"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });

    m_count = new QSpinBox(this);
    m_count->setRange(1, 500);
    m_count->setValue(12);
    form->addRow(tr("&Count:"), m_count);
    auto *size = new QHBoxLayout;
    m_width = new QSpinBox(this);
    m_width->setRange(16, 8000);
    m_width->setValue(1600);
    m_width->setSuffix(tr(" px"));
    m_height = new QSpinBox(this);
    m_height->setRange(16, 8000);
    m_height->setValue(1000);
    m_height->setSuffix(tr(" px"));
    size->addWidget(m_width, 1);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(m_height, 1);
    form->addRow(tr("&Size:"), size);
    static_cast<QLabel *>(form->labelForField(size))->setBuddy(m_width);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Generate"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_folder, &QLineEdit::textChanged, this, [this, buttons](const QString &text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    form->addRow(buttons);
    resize(520, sizeHint().height());
}

QString GenerateSamplesDialog::folder() const
{
    return m_folder->text().trimmed();
}

int GenerateSamplesDialog::count() const
{
    return m_count->value();
}

int GenerateSamplesDialog::imageWidth() const
{
    return m_width->value();
}

int GenerateSamplesDialog::imageHeight() const
{
    return m_height->value();
}

} // namespace pixelperf
