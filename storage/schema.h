// The database schema as an ordered list of forward migrations. PRAGMA user_version holds the
// number of migrations applied; opening a database applies the missing ones, and refuses one
// written by a newer tritonpile.
#pragma once

#include <SQLiteCpp/Database.h>

#include "common/status.h"

namespace tritonpile::storage {

int latest_schema_version();

// Brings db up to target_version (default: latest), each migration in its own transaction.
Status migrate(SQLite::Database& db, int target_version = -1);

}  // namespace tritonpile::storage
