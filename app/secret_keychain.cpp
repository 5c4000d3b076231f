#include "secret_keychain.h"

#include <qt6keychain/keychain.h>

namespace {
const QString kService = QStringLiteral("MoMQ Studio");
}

SecretKeychain::SecretKeychain(QObject *parent) : QObject(parent) {}

void SecretKeychain::store(const QString &key, const QString &secret) {
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this,
            [this, key, job] { Q_EMIT stored(key, job->error() == QKeychain::NoError, job->errorString()); });
    job->start();
}

void SecretKeychain::fetch(const QString &key) {
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, job] {
        const bool ok = job->error() == QKeychain::NoError;
        Q_EMIT fetched(key, ok, ok ? job->textData() : QString(), job->errorString());
    });
    job->start();
}
