// `momq-studio --screenshots DIR`: opens the demo project, waits for its model, asks one question
// in every dialect, runs the SQLite query, shows the demo run's training curves, and saves a PNG of
// every view into DIR (for the README). Ends by calling `done` with whether all were written.
#pragma once

#include <QString>

#include <functional>

class MainWindow;

void captureScreenshots(MainWindow *window, const QString &dir,
                        std::function<void(bool ok, const QString &message)> done);
