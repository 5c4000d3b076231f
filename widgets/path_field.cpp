#include "path_field.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QStyle>

void addBrowseAction(QLineEdit *edit, PathKind kind, const QString &filter) {
    auto *browse =
        edit->addAction(QApplication::style()->standardIcon(QStyle::SP_DirOpenIcon), QLineEdit::TrailingPosition);
    browse->setObjectName(QStringLiteral("browse"));
    browse->setToolTip(QCoreApplication::translate("PathField", "Browse…"));
    QObject::connect(browse, &QAction::triggered, edit, [edit, kind, filter] {
        const QString current = edit->text().trimmed();
        const QString start = current.isEmpty()          ? QString()
                              : kind == PathKind::Folder ? current
                                                         : QFileInfo(current).absolutePath();
        QString chosen;
        if (kind == PathKind::Folder)
            chosen = QFileDialog::getExistingDirectory(edit, QString(), start);
        else if (kind == PathKind::OpenFile)
            chosen = QFileDialog::getOpenFileName(edit, QString(), start, filter);
        else
            chosen = QFileDialog::getSaveFileName(edit, QString(), start, filter);
        if (!chosen.isEmpty()) edit->setText(chosen);
    });
}
