#include "toggleshelpdialog.h"

#include "pipeline/pipelineconfig.h"
#include "pipeline/toggles.h"
#include "stagepalette.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pixelperf {

TogglesHelpDialog::TogglesHelpDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Toggles explained"));
    setObjectName(QStringLiteral("togglesHelpDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Each toggle names an optimization: <b>on</b> is the optimized code path, "
                                "<b>off</b> really does the wasteful thing. Both paths compute the same "
                                "image unless the toggle is marked as changing the output."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *table = new QTableWidget(int(toggleTable().size()), 5, this);
    table->setObjectName(QStringLiteral("togglesTable"));
    table->setHorizontalHeaderLabels(
        { tr("Toggle"), tr("Stage"), tr("On (optimized)"), tr("Off (the inefficiency)"), tr("Output") });
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    int row = 0;
    for (const ToggleInfo &info : toggleTable()) {
        auto *name = new QTableWidgetItem(
            QStringLiteral("%1\n%2").arg(QString::fromUtf8(info.title), QLatin1String(info.key)));
        name->setToolTip(QLatin1String(info.key));
        table->setItem(row, 0, name);
        auto *stage = new QTableWidgetItem(QLatin1String(info.stage));
        if (const std::optional<Stage> s = stageFromName(QLatin1String(info.stage))) {
            QPixmap swatch(10, 10);
            swatch.fill(stageColor(*s));
            stage->setIcon(QIcon(swatch));
        }
        table->setItem(row, 1, stage);
        table->setItem(row, 2, new QTableWidgetItem(QString::fromUtf8(info.onText)));
        table->setItem(row, 3, new QTableWidgetItem(QString::fromUtf8(info.offText)));
        table->setItem(row, 4, new QTableWidgetItem(info.changesOutput ? tr("changes output") : tr("same")));
        ++row;
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(4, QHeaderView::ResizeToContents);
    // Row heights follow the wrapped text once the columns have their widths.
    connect(
        table->horizontalHeader(), &QHeaderView::sectionResized, table, &QTableWidget::resizeRowsToContents);
    table->resizeRowsToContents();
    layout->addWidget(table, 1);

    auto *presets = new QLabel(this);
    QStringList lines;
    for (const QString &preset : presetNames()) {
        QStringList on;
        for (const ToggleInfo &info : toggleTable()) {
            if (presetToggles(preset)->isOn(info.id))
                on << QLatin1String(info.key);
        }
        lines
            << tr("<b>%1</b>: %2").arg(preset, on.isEmpty() ? tr("all off") : on.join(QStringLiteral(", ")));
    }
    presets->setText(tr("Presets:<br>") + lines.join(QStringLiteral("<br>")));
    presets->setWordWrap(true);
    layout->addWidget(presets);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(980, 700);
}

} // namespace pixelperf
