"""Search the whole database for a person, the way a data protection officer would.

Every table the connection knows of, every column, every row: text is searched as it is,
JSON as decoded text (SQLite stores "Zénobie" as "Z\\u00e9nobie"), and django_session's
signed data decoded. Only the database's own introspection decides what is searched,
so a new table or column is searched without anybody thinking of it.
"""

import json

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "ignore")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text[:1] in "[{\"":
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def find_in_database(needles) -> list[tuple[str, str, str]]:
    """(table, column, the value) for each place where one of ``needles`` appears
    (case-insensitive)."""
    needles = [n.lower() for n in needles if n]
    hits = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in
                       connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None or isinstance(value, (int, float, bool)):
                        continue
                    text = _as_text(value)
                    if table == "django_session" and column == "session_data":
                        text = json.dumps(SessionStore().decode(text), ensure_ascii=False,
                                          default=str)
                    lowered = text.lower()
                    hits += [(table, column, text[:120]) for n in needles if n in lowered]
    return hits
