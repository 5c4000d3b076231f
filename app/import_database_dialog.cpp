#include "import_database_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

ImportDatabaseDialog::ImportDatabaseDialog(QWidget *parent)
    : QDialog(parent), engine_(new QComboBox(this)), name_(new QLineEdit(this)), pages_(new QStackedWidget(this)),
      sqlitePath_(new QLineEdit(this)), host_(new QLineEdit(QStringLiteral("127.0.0.1"), this)),
      port_(new QSpinBox(this)), database_(new QLineEdit(this)), user_(new QLineEdit(this)),
      password_(new QLineEdit(this)), remember_(new QCheckBox(this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Import Schema from Database"));
    setObjectName(QStringLiteral("importDatabaseDialog"));
    engine_->setObjectName(QStringLiteral("engine"));
    engine_->addItem(tr("SQLite file"), static_cast<int>(momq::DatabaseEngine::SQLite));
    engine_->addItem(tr("PostgreSQL"), static_cast<int>(momq::DatabaseEngine::PostgreSQL));
    engine_->addItem(tr("MySQL / MariaDB"), static_cast<int>(momq::DatabaseEngine::MySQL));
    engine_->addItem(tr("FalkorDB (property graph)"), static_cast<int>(momq::DatabaseEngine::FalkorDB));
    name_->setPlaceholderText(tr("default: the database name"));
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("default"));
    password_->setEchoMode(QLineEdit::Password);
    remember_->setText(tr("Remember the password in the system keychain"));
    remember_->setChecked(true);
    sqlitePath_->setObjectName(QStringLiteral("sqlitePath"));

    auto *sqlitePage = new QWidget(this);
    auto *sqliteRow = new QHBoxLayout(sqlitePage);
    sqliteRow->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(tr("Browse…"), sqlitePage);
    sqliteRow->addWidget(sqlitePath_);
    sqliteRow->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("SQLite Database"), {}, tr("SQLite databases (*.sqlite *.sqlite3 *.db);;All files (*)"));
        if (!file.isEmpty()) sqlitePath_->setText(file);
    });

    auto *serverPage = new QWidget(this);
    auto *serverForm = new QFormLayout(serverPage);
    serverForm->setContentsMargins(0, 0, 0, 0);
    serverForm->addRow(tr("Host:"), host_);
    serverForm->addRow(tr("Port:"), port_);
    serverForm->addRow(tr("Database or graph:"), database_);
    serverForm->addRow(tr("User:"), user_);
    serverForm->addRow(tr("Password:"), password_);
    serverForm->addRow(QString(), remember_);
    pages_->addWidget(sqlitePage);
    pages_->addWidget(serverPage);

    auto *form = new QFormLayout;
    form->addRow(tr("Engine:"), engine_);
    form->addRow(tr("Connection name:"), name_);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(pages_);
    layout->addWidget(buttons_);

    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(engine_, &QComboBox::currentIndexChanged, this, &ImportDatabaseDialog::updateForEngine);
    for (QLineEdit *e : {sqlitePath_, database_})
        connect(e, &QLineEdit::textChanged, this, &ImportDatabaseDialog::updateOkButton);
    updateForEngine();
}

void ImportDatabaseDialog::updateForEngine() {
    const auto engine = static_cast<momq::DatabaseEngine>(engine_->currentData().toInt());
    pages_->setCurrentIndex(engine == momq::DatabaseEngine::SQLite ? 0 : 1);
    updateOkButton();
}

void ImportDatabaseDialog::updateOkButton() {
    const auto engine = static_cast<momq::DatabaseEngine>(engine_->currentData().toInt());
    const bool complete = engine == momq::DatabaseEngine::SQLite ? !sqlitePath_->text().trimmed().isEmpty()
                                                                 : !database_->text().trimmed().isEmpty();
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(complete);
}

momq::ConnectionSettings ImportDatabaseDialog::settings() const {
    momq::ConnectionSettings s;
    s.engine = static_cast<momq::DatabaseEngine>(engine_->currentData().toInt());
    if (s.engine == momq::DatabaseEngine::SQLite) {
        s.path = sqlitePath_->text().trimmed().toStdString();
        return s;
    }
    s.host = host_->text().trimmed().toStdString();
    s.port = port_->value();
    s.database = database_->text().trimmed().toStdString();
    s.user = user_->text().trimmed().toStdString();
    s.password = password_->text().toStdString();
    return s;
}

QString ImportDatabaseDialog::connectionName() const { return name_->text().trimmed(); }

bool ImportDatabaseDialog::rememberPassword() const { return remember_->isChecked(); }

void ImportDatabaseDialog::setSettings(const momq::ConnectionSettings &s, const QString &name) {
    engine_->setCurrentIndex(engine_->findData(static_cast<int>(s.engine)));
    sqlitePath_->setText(QString::fromStdString(s.path));
    host_->setText(QString::fromStdString(s.host));
    port_->setValue(s.port);
    database_->setText(QString::fromStdString(s.database));
    user_->setText(QString::fromStdString(s.user));
    password_->setText(QString::fromStdString(s.password));
    name_->setText(name);
}
