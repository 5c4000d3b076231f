#include "routing_page.h"

#include "routing_heatmap.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }
}  // namespace

RoutingPage::RoutingPage(QWidget *parent) : QWidget(parent) {
    itemLabel_ = new QLabel(this);
    item_ = new QComboBox(this);
    item_->setMinimumContentsLength(40);
    item_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    trace_ = new QPushButton(this);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    heatmap_ = new RoutingHeatmap(this);
    auto *chooser = new QHBoxLayout;
    chooser->addWidget(itemLabel_);
    chooser->addWidget(item_, 1);
    chooser->addWidget(trace_);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(chooser);
    layout->addWidget(caption_);
    layout->addWidget(heatmap_, 1);
    connect(trace_, &QPushButton::clicked, this, [this] { requestTrace(item_->currentIndex()); });
    retranslate();
}

void RoutingPage::retranslate() {
    itemLabel_->setText(tr("Dataset item:"));
    trace_->setText(tr("Trace"));
    trace_->setToolTip(tr("Generate this item's query and show how every token is routed"));
    if (items_.empty()) item_->setPlaceholderText(tr("(no dataset in this project)"));
}

void RoutingPage::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void RoutingPage::setItems(std::vector<momq::DatasetItem> items, const QString &source) {
    items_ = std::move(items);
    source_ = source;
    traced_ = -1;
    item_->clear();
    for (const auto &i : items_)
        item_->addItem(QStringLiteral("[%1] %2").arg(q(i.dialect), q(i.question)), q(i.itemId));
    item_->setEnabled(!items_.empty());
    trace_->setEnabled(!items_.empty());
    item_->setToolTip(source);
    retranslate();
}

void RoutingPage::requestTrace(int index) {
    if (index < 0 || index >= itemCount()) return;
    traced_ = index;
    item_->setCurrentIndex(index);
    caption_->setText(tr("Generating %1…").arg(q(items_[index].itemId)));
    Q_EMIT traceRequested(items_[index]);
}

void RoutingPage::showItemResult(const QString &generatedQuery) {
    if (traced_ < 0) return;
    const auto &i = items_[traced_];
    caption_->setText(tr("%1 (%2, %3): %4\nGold: %5\nGenerated: %6")
                          .arg(q(i.itemId), q(i.dialect), q(i.dbId), q(i.question), q(i.query), generatedQuery));
}

void RoutingPage::showGeneration(const QString &question) {
    traced_ = -1;
    caption_->setText(tr("Last generation: %1").arg(question));
}

void RoutingPage::showMessage(const QString &message) {
    traced_ = -1;
    caption_->setText(message);
}

QString RoutingPage::captionText() const { return caption_->text(); }
