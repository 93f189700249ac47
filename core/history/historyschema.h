// The history database's tables, their migrations, and what an SQLite error
// means to a user. Private to core/history.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace pixelperf::history {

// Creates or migrates the tables up to `targetVersion` (PRAGMA user_version),
// in one transaction; another process migrating at the same time waits.
// False with *error when a step fails or the file holds someone else's tables.
bool migrate(QSqlDatabase &db, int targetVersion, int busyTimeoutMs, QString *error);
// The schema version the file records (0: a new, empty file); -1 with
// *error when it cannot be read or holds another program's tables.
int schemaVersion(QSqlDatabase &db, QString *error);

// "is locked by another program (waited 5 s)", "is read-only", "is not an
// SQLite database or is damaged": what a user can act on, from the driver's code.
QString describeSqlError(const QSqlError &error, int busyTimeoutMs);
// SQLITE_BUSY or SQLITE_LOCKED (extended codes included): another connection
// holds the lock this one needs.
bool isLockedError(const QSqlError &error);

// Binds the values in order; a null string is bound as an empty one (the
// text columns are NOT NULL), an invalid QVariant as NULL.
void bindAll(QSqlQuery &q, const QVariantList &values);

// BEGIN IMMEDIATE ... COMMIT; rolled back when not committed. IMMEDIATE
// takes the write lock at once (waiting up to the busy timeout), so a
// transaction never fails half-way because another writer came first.
class WriteTransaction
{
public:
    explicit WriteTransaction(QSqlDatabase &db)
        : m_db(db)
    { }
    ~WriteTransaction();
    bool begin();
    bool commit();
    QSqlError lastError() const { return m_error; }

private:
    bool exec(const char *sql);

    QSqlDatabase &m_db;
    QSqlError m_error;
    bool m_open = false;
};

} // namespace pixelperf::history
