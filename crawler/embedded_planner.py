"""Index-backed SQL for the store's hot reads on the embedded engine (mongoeco on SQLite).

mongoeco 4.11 answers a sort, a range on a datetime or an `_id` `$in` by evaluating
`json_extract` over every document, and before that scans the collection to check the sort
field's types: at a million articles, seconds per query. Its ordered indexes are real SQLite
expression indexes on (db, collection, type tag, value, ...), though, and SQLite walks them in
order when a query uses the same expressions. `plan_indexed_read` writes that query for the
shapes the product sends, and leaves every other query to mongoeco:

- an equality on each leading field of an ordered index (strings), a range or an equality on
  its next field (datetimes, or null), sorted on that field, optionally then on `_id`;
- `_id` equality or `$in` (strings): a primary-key lookup;
- any further conditions of the kinds below, evaluated on the rows the index yields.

The SQL must match MongoDB's semantics exactly, so a plan is made only when they cannot differ:
values are strings, datetimes or null; fields are top-level; the index is complete (not sparse,
partial or hidden); no stored value of a leading field is an array (an equality would then also
match array members); and the sort field holds only datetimes and nulls, whose order the index
keeps as MongoDB does. Each of these data checks is an index seek, not a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mongoeco.core.codec import DocumentCodec
from mongoeco.core.query_plan import (
    AndCondition,
    EqualsCondition,
    ExistsCondition,
    GreaterThanCondition,
    GreaterThanOrEqualCondition,
    InCondition,
    LessThanCondition,
    LessThanOrEqualCondition,
    MatchAll,
    NotCondition,
    NotEqualsCondition,
    OrCondition,
    QueryNode,
)
from mongoeco.engines.sqlite_query import index_expressions_sql, json_path_for_field

DATETIME = "datetime"
RANGES = {GreaterThanCondition: ">", GreaterThanOrEqualCondition: ">=", LessThanCondition: "<", LessThanOrEqualCondition: "<="}
# json_extract gives an array or an object as JSON text: it starts with "[" (up to "\\") or "{" (up to "|")
CONTAINER_TEXT = (("[", "\\"), ("{", "|"))


class Unplannable(Exception):
    """The query has a part this planner does not translate exactly: mongoeco plans it."""


@dataclass(frozen=True)
class Interval:
    """The datetimes a condition allows for the sort field: bounds as stored ISO text, None = open."""

    low: str | None = None
    low_strict: bool = False
    high: str | None = None
    high_strict: bool = False

    def meet(self, other: Interval) -> Interval:
        low, low_strict = _tighter(self.low, self.low_strict, other.low, other.low_strict, max)
        high, high_strict = _tighter(self.high, self.high_strict, other.high, other.high_strict, min)
        return Interval(low, low_strict, high, high_strict)

    def join(self, other: Interval) -> Interval:
        low, low_strict = (None, False) if self.low is None or other.low is None else \
            _tighter(self.low, self.low_strict, other.low, other.low_strict, min, loosest=True)
        high, high_strict = (None, False) if self.high is None or other.high is None else \
            _tighter(self.high, self.high_strict, other.high, other.high_strict, max, loosest=True)
        return Interval(low, low_strict, high, high_strict)


def _tighter(a, a_strict, b, b_strict, pick, loosest=False):
    if a is None:
        return b, b_strict
    if b is None:
        return a, a_strict
    if a != b:
        chosen = pick(a, b)
        return chosen, a_strict if chosen == a else b_strict
    return a, (a_strict and b_strict) if loosest else (a_strict or b_strict)


NOTHING = None  # an empty set of datetimes (the condition only allows null, or contradicts itself)
ALL = Interval()


def stored_datetime(value: datetime) -> str:
    """A datetime as mongoeco stores it: the ISO text its index compares."""
    return DocumentCodec.encode(value)[DocumentCodec._MARKER][DocumentCodec._VALUE]


class Translator:
    """Exact SQL for the supported conditions, over the `document` column."""

    def __init__(self):
        self.params: list[object] = []

    def sql(self, node: QueryNode) -> str:
        if isinstance(node, MatchAll):
            return "1"
        if isinstance(node, AndCondition):
            return "(" + " AND ".join(self.sql(clause) for clause in node.clauses) + ")"
        if isinstance(node, OrCondition):
            return "(" + " OR ".join(self.sql(clause) for clause in node.clauses) + ")"
        if isinstance(node, NotCondition):
            return f"NOT COALESCE({self.sql(node.clause)}, 0)"
        if isinstance(node, EqualsCondition):
            return self.equals(_field(node.field), node.value, node.null_matches_undefined)
        if isinstance(node, NotEqualsCondition):
            return f"NOT COALESCE({self.equals(_field(node.field), node.value, False)}, 0)"
        if isinstance(node, InCondition):
            if not node.values:
                return "0"
            return "(" + " OR ".join(self.equals(_field(node.field), value, node.null_matches_undefined)
                                     for value in node.values) + ")"
        if type(node) in RANGES:
            return self.compare(_field(node.field), RANGES[type(node)], node.value)
        if isinstance(node, ExistsCondition):
            return f"json_type(document, {_quote(json_path_for_field(_field(node.field)))}) IS {'NOT ' if node.value else ''}NULL"
        raise Unplannable(type(node).__name__)

    def equals(self, field: str, value: object, null_matches_undefined: bool) -> str:
        type_sql, value_sql = index_expressions_sql(field)
        if value is None:
            undefined = f" OR {type_sql} = 'undefined'" if null_matches_undefined else ""
            return f"(({type_sql} = '' AND {value_sql} IS NULL){undefined})"
        return self.compare(field, "=", value)

    def compare(self, field: str, operator: str, value: object) -> str:
        type_sql, value_sql = index_expressions_sql(field)
        if isinstance(value, datetime):
            self.params.append(stored_datetime(value))
            return f"({type_sql} = '{DATETIME}' AND {value_sql} {operator} ?)"
        if isinstance(value, str):
            self.params.append(value)
            return f"({type_sql} = '' AND json_type(document, {_quote(json_path_for_field(field))}) = 'text' AND {value_sql} {operator} ?)"
        raise Unplannable(f"comparison with a {type(value).__name__}")


def _field(name: str) -> str:
    if "." in name or name.startswith("$"):
        raise Unplannable("a nested field")
    return name


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def conjuncts(node: QueryNode) -> list[QueryNode]:
    if isinstance(node, AndCondition):
        return [part for clause in node.clauses for part in conjuncts(clause)]
    return [] if isinstance(node, MatchAll) else [node]


def datetimes_allowed(node: QueryNode, field: str) -> Interval | None:
    """The datetimes of `field` that can satisfy `node` (NOTHING when none can; ALL when unknown)."""
    if isinstance(node, AndCondition):
        found: Interval | None = ALL
        for clause in node.clauses:
            part = datetimes_allowed(clause, field)
            if part is NOTHING or found is NOTHING:
                found = NOTHING
            else:
                found = found.meet(part)
        return found
    if isinstance(node, OrCondition):
        parts = [datetimes_allowed(clause, field) for clause in node.clauses]
        kept = [part for part in parts if part is not NOTHING]
        if not kept:
            return NOTHING
        joined = kept[0]
        for part in kept[1:]:
            joined = joined.join(part)
        return joined
    if getattr(node, "field", None) != field:
        return ALL
    if isinstance(node, EqualsCondition):
        if isinstance(node.value, datetime):
            text = stored_datetime(node.value)
            return Interval(text, False, text, False)
        return NOTHING if node.value is None else ALL
    if type(node) in RANGES and isinstance(node.value, datetime):
        text, operator = stored_datetime(node.value), RANGES[type(node)]
        return Interval(low=text, low_strict=operator == ">") if operator[0] == ">" else \
            Interval(high=text, high_strict=operator == "<")
    return ALL


def nulls_allowed(node: QueryNode, field: str) -> bool:
    """Whether a document whose `field` is null or missing can satisfy `node` (False only when sure)."""
    if isinstance(node, AndCondition):
        return all(nulls_allowed(clause, field) for clause in node.clauses)
    if isinstance(node, OrCondition):
        return any(nulls_allowed(clause, field) for clause in node.clauses)
    if getattr(node, "field", None) != field:
        return True
    if isinstance(node, EqualsCondition):
        return node.value is None
    return type(node) not in RANGES


@dataclass
class Access:
    """How the rows are found: an ordered index walked on `prefix` equalities (or primary keys)."""

    index: object | None          # mongoeco's EngineIndexRecord, None for a primary-key lookup
    prefix: list[tuple[str, str]]  # (field, string value) equalities on the index's leading fields
    consumed: list[QueryNode]      # the conditions the index seek applies exactly
    keys_sql: str | None = None    # primary-key lookup: "storage_key IN (...)"
    keys: tuple[str, ...] = ()


def plan_indexed_read(engine, db_name: str, coll_name: str, semantics, select_clause: str):
    """(sql, params) answering `semantics` from an index, or None to leave the query to mongoeco."""
    if semantics.text_query is not None or semantics.collation is not None or semantics.hint is not None:
        return None
    try:
        return _plan(engine, db_name, coll_name, semantics, select_clause)
    except Unplannable:
        return None


def _plan(engine, db_name, coll_name, semantics, select_clause):
    parts = conjuncts(semantics.query_plan)
    sort = list(semantics.sort or [])
    if len(sort) > 2 or (len(sort) == 2 and sort[1][0] != "_id") or any(d not in (1, -1) for _, d in sort):
        raise Unplannable("sort shape")
    sort_field = _field(sort[0][0]) if sort else None
    if sort_field == "_id":
        raise Unplannable("sort on _id alone")
    indexes = [index for index in engine._load_indexes(db_name, coll_name) if _usable(index)]
    conn = engine._require_connection()
    access = _key_lookup(engine, parts) or _index_walk(indexes, parts, sort_field)
    if access is None:
        raise Unplannable("no index fits")
    namespace = (db_name, coll_name)
    for depth in range(len(access.prefix)):
        _require_no_arrays(conn, access.index, namespace, access.prefix[:depth], access.prefix[depth][0])
    if sort_field is not None:
        checked = access.index if access.index is not None and access.index["fields"][len(access.prefix)] == sort_field \
            else _leading(indexes, sort_field)
        prefix = access.prefix if checked is access.index else []
        _require_datetimes_or_nulls(conn, checked, namespace, prefix, sort_field)
    residual = [part for part in parts if not any(part is used for used in access.consumed)]
    skip, limit = semantics.skip or 0, semantics.limit
    if sort_field is None:
        sql, params = _segment(select_clause, access, namespace, residual, None, None, None, sort)
        return _window(sql, params, skip, limit)
    buckets = [DATETIME, ""] if sort[0][1] == -1 else ["", DATETIME]
    plan = semantics.query_plan
    segments = []
    for bucket in buckets:
        if bucket == DATETIME:
            allowed = datetimes_allowed(plan, sort_field)
            if allowed is NOTHING:
                continue
        elif not nulls_allowed(plan, sort_field):
            continue
        else:
            allowed = None
        segments.append(_segment(select_clause, access, namespace, residual, sort_field, bucket, allowed, sort))
    if not segments:
        return "SELECT " + select_clause + " FROM documents WHERE 0", []
    if len(segments) == 1:
        return _window(*segments[0], skip, limit)
    return _union(select_clause, segments, sort, skip, limit)


def _usable(index) -> bool:
    keys = list(index["key"])
    return (index.get("physical_name") and not index.get("sparse") and not index.get("hidden")
            and index.get("partial_filter_expression") is None and index.get("collation") is None
            and all(direction in (1, -1) for _, direction in keys) and all("." not in f for f in index["fields"]))


def _leading(indexes, field):
    for index in indexes:
        if index["fields"][0] == field:
            return index
    raise Unplannable(f"no index leads with {field}")


def _key_lookup(engine, parts) -> Access | None:
    for part in parts:
        values = (part.value,) if isinstance(part, EqualsCondition) and part.field == "_id" else \
            part.values if isinstance(part, InCondition) and part.field == "_id" else None
        if values is not None and all(isinstance(value, str) for value in values):
            keys = tuple(engine._storage_key(value) for value in values)
            marks = ", ".join("?" for _ in keys) or "NULL"
            return Access(None, [], [part], f"storage_key IN ({marks})", keys)
    return None


def _index_walk(indexes, parts, sort_field) -> Access | None:
    """The index with the longest run of leading string equalities that then has the sort field."""
    equal = {}
    for part in parts:
        if isinstance(part, EqualsCondition) and isinstance(part.value, str) and "." not in part.field:
            equal.setdefault(part.field, part)
    best = None
    for index in indexes:
        fields = index["fields"]
        depth = 0
        while depth < len(fields) and fields[depth] in equal:
            depth += 1
        if sort_field is not None:
            if depth >= len(fields) or fields[depth] != sort_field:
                continue
        elif depth == 0:
            continue
        if best is None or depth > len(best.prefix):
            used = [equal[field] for field in fields[:depth]]
            best = Access(index, [(field, equal[field].value) for field in fields[:depth]], used)
    return best


def _prefix_sql(prefix) -> tuple[str, list]:
    terms, params = [], []
    for field, value in prefix:
        type_sql, value_sql = index_expressions_sql(field)
        terms.append(f"{type_sql} = '' AND {value_sql} = ?")
        params.append(value)
    return "".join(f" AND {term}" for term in terms), params


def _exists(conn, index, namespace, prefix, condition: str, params: list) -> bool:
    prefix_sql, prefix_params = _prefix_sql(prefix)
    sql = (f"SELECT 1 FROM documents INDEXED BY {_quote_identifier(index['physical_name'])} "
           f"WHERE db_name = ? AND coll_name = ?{prefix_sql} AND {condition} LIMIT 1")
    return conn.execute(sql, (*namespace, *prefix_params, *params)).fetchone() is not None


def _require_no_arrays(conn, index, namespace, prefix, field):
    """An equality on `field` also matches arrays holding the value: refuse when any is stored (objects too)."""
    type_sql, value_sql = index_expressions_sql(field)
    for low, high in CONTAINER_TEXT:
        if _exists(conn, index, namespace, prefix, f"{type_sql} = '' AND {value_sql} >= ? AND {value_sql} < ?", [low, high]):
            raise Unplannable(f"{field} holds arrays or objects (or text that starts like one)")


def _require_datetimes_or_nulls(conn, index, namespace, prefix, field):
    type_sql, value_sql = index_expressions_sql(field)
    others = (f"{type_sql} > '{DATETIME}'", f"{type_sql} > '' AND {type_sql} < '{DATETIME}'",
              f"{type_sql} = '' AND {value_sql} IS NOT NULL")
    if any(_exists(conn, index, namespace, prefix, condition, []) for condition in others):
        raise Unplannable(f"{field} holds values other than datetimes and nulls")


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _order_terms(sort, sort_field, bucket) -> list[str]:
    terms = []
    if sort_field is not None and bucket == DATETIME:
        terms.append(f"{index_expressions_sql(sort_field)[1]} {'DESC' if sort[0][1] == -1 else 'ASC'}")
    if len(sort) == 2:
        direction = "DESC" if sort[1][1] == -1 else "ASC"
        terms.extend(f"{expression} {direction}" for expression in index_expressions_sql("_id"))
    return terms


def _segment(select_clause, access, namespace, residual, sort_field, bucket, allowed, sort):
    translator = Translator()
    where = ["db_name = ? AND coll_name = ?"]
    params: list[object] = list(namespace)
    if access.keys_sql:
        where.append(access.keys_sql)
        params.extend(access.keys)
    prefix_sql, prefix_params = _prefix_sql(access.prefix)
    if prefix_sql:
        where.append(prefix_sql.removeprefix(" AND "))
        params.extend(prefix_params)
    if bucket is not None:
        type_sql, value_sql = index_expressions_sql(sort_field)
        where.append(f"{type_sql} = '{bucket}'")
        if bucket == DATETIME and allowed is not None:
            if allowed.low is not None:
                where.append(f"{value_sql} {'>' if allowed.low_strict else '>='} ?")
                params.append(allowed.low)
            if allowed.high is not None:
                where.append(f"{value_sql} {'<' if allowed.high_strict else '<='} ?")
                params.append(allowed.high)
    for part in residual:
        where.append(translator.sql(part))
    params.extend(translator.params)
    source = "documents" if access.index is None else f"documents INDEXED BY {_quote_identifier(access.index['physical_name'])}"
    order = _order_terms(sort, sort_field, bucket)
    sql = f"SELECT {select_clause} FROM {source} WHERE {' AND '.join(where)}"
    if order:
        sql += " ORDER BY " + ", ".join(order)
    return sql, params


def _window(sql, params, skip, limit):
    if limit:
        sql += f" LIMIT {int(limit)}"
    elif skip:
        sql += " LIMIT -1"
    if skip:
        sql += f" OFFSET {int(skip)}"
    return sql, params


def _union(select_clause, segments, sort, skip, limit):
    """Segments in order (each sorted, at most skip+limit rows of each), then the window.

    The outer ORDER BY repeats the segments' own order (over at most a few pages of rows):
    a compound SELECT's row order is otherwise unspecified.
    """
    wanted = (skip + limit) if limit else None
    parts, params = [], []
    for number, (sql, segment_params) in enumerate(segments):
        inner, _ = _window(sql, [], 0, wanted)
        parts.append(f"SELECT {number} AS segment_, * FROM ({inner})")
        params.extend(segment_params)
    columns = ", ".join(column.strip() for column in select_clause.split(","))
    order = ["segment_", *_order_terms(sort, sort[0][0], DATETIME)]
    sql = f"SELECT {columns} FROM ({' UNION ALL '.join(parts)}) ORDER BY {', '.join(order)}"
    return _window(sql, params, skip, limit)
