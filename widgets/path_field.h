// A path typed or chosen: a Browse action at the end of a line edit opens the file or folder
// dialog, starting where the current text points, and puts the choice back in the field.
#pragma once

#include <QString>

class QLineEdit;

enum class PathKind { Folder, OpenFile, SaveFile };

void addBrowseAction(QLineEdit *edit, PathKind kind, const QString &filter = {});
