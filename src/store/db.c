/* placeholder, being written */
typedef int td_placeholder_db;
