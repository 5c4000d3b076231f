// Asks where a database is (SQLite file, PostgreSQL or MySQL/MariaDB server) so its schema can
// be introspected and recorded in the project as a connection.
#pragma once

#include "momq/connection.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

class ImportDatabaseDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDatabaseDialog(QWidget *parent = nullptr);

    momq::ConnectionSettings settings() const;  // password included (in memory only)
    QString connectionName() const;
    bool rememberPassword() const;

    // For tests and for pre-filling from an existing connection.
    void setSettings(const momq::ConnectionSettings &settings, const QString &name);

private:
    void updateForEngine();
    void updateOkButton();

    QComboBox *engine_;
    QLineEdit *name_;
    QStackedWidget *pages_;
    QLineEdit *sqlitePath_;
    QLineEdit *host_;
    QSpinBox *port_;
    QLineEdit *database_;
    QLineEdit *user_;
    QLineEdit *password_;
    QCheckBox *remember_;
    QDialogButtonBox *buttons_;
};
