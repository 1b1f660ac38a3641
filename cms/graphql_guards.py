"""Guard rails of the GraphQL endpoint: validation rules that refuse a query before it runs.

Each request is validated with graphql-core's specified rules plus two of ours:

- ``PageArgumentsRule``: ``limit`` (and ``perPage``) at most grapple's
  ``MAX_PAGE_SIZE`` and no negative ``limit``, ``offset``, ``perPage`` or
  ``page``. Grapple would clamp a large limit silently, ignore a negative
  literal (its ``PositiveInt`` turns it into null) and fail inside Django's
  slicing on a negative variable; the contract says the caller gets an error.
- ``QueryBudgetRule``: a maximum depth (``GRAPHQL_MAX_DEPTH``) and a maximum
  estimated cost (``GRAPHQL_MAX_COST``). A field costs 1, multiplied by the
  size of every list it sits in: the list's ``limit`` (or ``perPage``), or
  grapple's ``PAGE_SIZE`` when the list has none. So
  ``pages(limit: 100) { title children { title } }`` costs
  1 + 100 + 100 + 100 × 20 = 2,201. A page of results that is not itself a
  list (``services(limit: 50) { totalCount items { … } }``) gives its limit to
  the lists directly inside it.

Both rules read the request's variables, so ``limit: $n`` is checked like a
literal; a rule class is therefore made per request (``validation_rules``).

Introspection (everything under ``__schema`` and ``__type``) is neither deep
nor costly by these measures: its size is bounded by the schema, and its one
expensive shape, nested ``fields { type { fields … } }``, is refused by
graphql-core's ``MaxIntrospectionDepthRule`` among the specified rules. So
GraphiQL's introspection query passes although it nests 15 fields deep.

graphene's ``depth_limit_validator`` is not used: it raises (a KeyError, a
RecursionError) on an unknown fragment or a fragment cycle, which the
specified rules would otherwise report as ordinary validation errors.
"""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationType,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    specified_rules,
    type_from_ast,
    value_from_ast_untyped,
)
from graphql.validation import ValidationRule
from grapple.settings import grapple_settings

# Arguments that size a list, and arguments that position it.
SIZE_ARGUMENTS = ("limit", "perPage")
POSITION_ARGUMENTS = ("offset", "page")


def validation_rules(variables=None):
    """The validation rules for one request with these (raw JSON) variables."""
    variables = variables if isinstance(variables, dict) else {}
    bound = {"variables": variables}
    return (
        *specified_rules,
        type("PageArgumentsRule", (PageArgumentsRule,), bound),
        type("QueryBudgetRule", (QueryBudgetRule,), bound),
    )


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


class _ArgumentValues:
    """Integer values of arguments, whether written literally or passed as variables."""

    def __init__(self, document, variables):
        self.variables = variables
        # A variable left out of the request takes its declared default.
        self.defaults = {
            definition.variable.name.value: definition.default_value
            for operation in document.definitions
            for definition in getattr(operation, "variable_definitions", None) or ()
            if definition.default_value is not None
        }

    def integer(self, value_node):
        if isinstance(value_node, VariableNode):
            name = value_node.name.value
            if name in self.variables:
                value = self.variables[name]
            elif name in self.defaults:
                value = value_from_ast_untyped(self.defaults[name])
            else:
                return None
        else:
            value = value_from_ast_untyped(value_node)
        return value if _integer(value) else None

    def of(self, field_node, names):
        """The field's integer arguments among ``names``, as {name: value}."""
        values = {}
        for argument in field_node.arguments or ():
            if argument.name.value in names:
                value = self.integer(argument.value)
                if value is not None:
                    values[argument.name.value] = value
        return values


class PageArgumentsRule(ValidationRule):
    """Page sizes within grapple's maximum; no negative sizes or positions."""

    variables = {}

    def __init__(self, context):
        super().__init__(context)
        self.values = _ArgumentValues(context.document, self.variables)

    def enter_field(self, node, *_args):
        field = self.context.get_field_def()
        if field is None:
            return
        names = [name for name in (*SIZE_ARGUMENTS, *POSITION_ARGUMENTS) if name in field.args]
        maximum = grapple_settings.MAX_PAGE_SIZE
        for name, value in self.values.of(node, names).items():
            parts = {"field": node.name.value, "argument": name, "value": value}
            if value < 0:
                message = gettext("%(field)s: %(argument)s must not be negative (got %(value)d).")
            elif name in SIZE_ARGUMENTS and value > maximum:
                message = gettext(
                    "%(field)s: %(argument)s %(value)d exceeds the maximum page size of "
                    "%(maximum)d; page through the results with offset."
                )
                parts["maximum"] = maximum
            else:
                continue
            message %= parts
            self.report_error(GraphQLError(message, node))


class QueryBudgetRule(ValidationRule):
    """Refuses an operation nested deeper or estimated costlier than the settings allow.

    The cost of a selection is linear in the size of the lists around it, so
    each fragment is measured once (per page size it may inherit) and scaled
    wherever it is spread: the estimate stays linear in the document even
    when fragments spread fragments many times over.
    """

    variables = {}

    def __init__(self, context):
        super().__init__(context)
        self.schema = context.schema
        self.values = _ArgumentValues(context.document, self.variables)
        self.fragments = {}  # (name, page size) → (cost, depth)
        self.entered = set()

    def enter_operation_definition(self, node, *_args):
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[node.operation]
        cost, depth = self.measure(node.selection_set, root)
        max_depth, max_cost = settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_COST
        if depth > max_depth:
            self.report_error(
                GraphQLError(
                    gettext("Query depth %(depth)d exceeds the maximum depth of %(maximum)d.")
                    % {"depth": depth, "maximum": max_depth},
                    node,
                )
            )
        if cost > max_cost:
            self.report_error(
                GraphQLError(
                    gettext(
                        "Query cost %(cost)s exceeds the maximum cost of %(maximum)s. Each "
                        "field costs 1, multiplied by the limit of every list it is in (a list "
                        "without a limit counts as %(page_size)d): ask for fewer items or fewer "
                        "nested lists."
                    )
                    % {
                        "cost": number_format(cost, force_grouping=True),
                        "maximum": number_format(max_cost, force_grouping=True),
                        "page_size": grapple_settings.PAGE_SIZE,
                    },
                    node,
                )
            )

    def measure(self, selection_set, parent_type, page_size=None):
        """(cost, depth) of a selection set outside any list.

        ``page_size`` is the limit of the field that holds the selection when
        that field is not itself a list but a page of results (``services``,
        ``siteSearch``): its lists (``items``) are that long.
        """
        cost = depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field_cost, field_depth = self.measure_field(selection, parent_type, page_size)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = type_from_ast(self.schema, condition) if condition else None
                field_cost, field_depth = self.measure(
                    selection.selection_set, fragment_type or parent_type, page_size
                )
            elif isinstance(selection, FragmentSpreadNode):
                field_cost, field_depth = self.measure_fragment(selection.name.value, page_size)
            else:  # pragma: no cover - the language has no other selection
                continue
            cost += field_cost
            depth = max(depth, field_depth)
        return cost, depth

    def measure_field(self, node, parent_type, page_size):
        if node.name.value in ("__schema", "__type"):
            return 0, 0
        field = None
        if isinstance(parent_type, (GraphQLObjectType, GraphQLInterfaceType)):
            field = parent_type.fields.get(node.name.value)
        if field is None or node.selection_set is None:
            return 1, 1
        inner_type = get_named_type(field.type)
        limit = self.limit(node, field)
        if is_list_type(get_nullable_type(field.type)):
            # Grapple treats a missing or zero limit as its default page size.
            size = limit or page_size or grapple_settings.PAGE_SIZE
            inner_cost, inner_depth = self.measure(node.selection_set, inner_type)
        else:
            size = 1
            inner_cost, inner_depth = self.measure(node.selection_set, inner_type, limit)
        return 1 + size * inner_cost, 1 + inner_depth

    def limit(self, node, field):
        """The field's positive size argument, if it has one."""
        sizes = self.values.of(node, [name for name in SIZE_ARGUMENTS if name in field.args])
        size = max(sizes.values(), default=0)
        return size if size > 0 else None

    def measure_fragment(self, name, page_size):
        key = (name, page_size)
        if key in self.fragments:
            return self.fragments[key]
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self.entered:
            # Unknown fragments and cycles are reported by the specified rules.
            return 0, 0
        self.entered.add(name)
        fragment_type = type_from_ast(self.schema, fragment.type_condition)
        self.fragments[key] = self.measure(fragment.selection_set, fragment_type, page_size)
        self.entered.discard(name)
        return self.fragments[key]
