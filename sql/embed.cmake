# Turn sql/schema.sql into a C string so mucd carries the exact file that
# operators read.  Run by lib/CMakeLists.txt: cmake -DIN=... -DOUT=... -P.
file(READ "${IN}" sql)
string(REPLACE "\\" "\\\\" sql "${sql}")
string(REPLACE "\"" "\\\"" sql "${sql}")
string(REPLACE "\n" "\\n\"\n\"" sql "${sql}")
file(WRITE "${OUT}" "/* Generated from sql/schema.sql; do not edit. */\nconst char store_schema_sql[] =\n\"${sql}\";\n")
