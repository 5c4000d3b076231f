// Connection passwords in the system keychain (Secret Service, KWallet, ...) through QtKeychain.
// Where no keychain service runs, storing fails with a message and the app asks for the password
// each time it needs one; nothing is ever written to the project file.
#pragma once

#include <QObject>
#include <QString>

class SecretKeychain : public QObject {
    Q_OBJECT
public:
    explicit SecretKeychain(QObject *parent = nullptr);

    void store(const QString &key, const QString &secret);
    void fetch(const QString &key);

Q_SIGNALS:
    void stored(const QString &key, bool ok, const QString &error);
    void fetched(const QString &key, bool ok, const QString &secret, const QString &error);
};
