// The main window: the open project's schema browser, the project menu (new, open, recent),
// schema import from a database or a JSON file, and the interface language.
#pragma once

#include "momq/store.h"

#include <QMainWindow>

#include <optional>

class QAction;
class QMenu;
class SchemaBrowser;
class SecretKeychain;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Each returns false (after reporting the error) when the project could not be used.
    bool openProject(const QString &path);
    bool createProject(const QString &path);
    bool openDemoProject();
    bool importSchemaFile(const QString &file);
    // Reads the schema on a worker thread; ends in schemaImported() or errorReported().
    void importFromDatabase(const momq::ConnectionSettings &settings, const QString &connectionName,
                            bool rememberPassword);
    // Re-reads the current schema from the database it was imported from.
    void refreshCurrentSchema();
    void setLanguage(const QString &code);

    QString projectPath() const;
    SchemaBrowser *schemaBrowser() const { return browser_; }
    bool isImporting() const { return importing_; }

Q_SIGNALS:
    void projectOpened(const QString &path);
    void schemaImported(const QString &dbId);
    void errorReported(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void retranslate();
    void useStore(momq::ProjectStore store);
    void reloadSchemas();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();
    void reportError(const QString &message);
    void setImporting(bool importing);
    void finishImport(const momq::ConnectionSettings &settings, const QString &connectionName,
                      bool rememberPassword, const momq::Schema &schema);

    std::optional<momq::ProjectStore> store_;
    SchemaBrowser *browser_;
    SecretKeychain *keychain_;
    bool importing_ = false;

    QMenu *projectMenu_ = nullptr, *recentMenu_ = nullptr, *databaseMenu_ = nullptr, *settingsMenu_ = nullptr,
          *languageMenu_ = nullptr, *helpMenu_ = nullptr;
    QAction *newAction_ = nullptr, *openAction_ = nullptr, *demoAction_ = nullptr, *quitAction_ = nullptr,
            *importDbAction_ = nullptr, *importJsonAction_ = nullptr, *refreshAction_ = nullptr,
            *aboutAction_ = nullptr;
};
