#include "matcher/identifier_renamer.h"

#include <set>
#include <tuple>
#include <vector>

#include "extractor/syntax_tree.h"

namespace tritonpile::matcher {

namespace {

using extractor::SyntaxTree;

bool same(TSNode a, TSNode b) { return !ts_node_is_null(a) && !ts_node_is_null(b) && ts_node_eq(a, b); }

bool is_scope(std::string_view type) { return type == "function_definition" || type == "lambda"; }

// The names an assignment target binds (`a`, `a, (b, c)`); `obj.x = ...` and `x[i] = ...`
// bind none.
void add_targets(const SyntaxTree& tree, TSNode target, std::set<std::string>* names) {
  if (ts_node_is_null(target)) return;
  extractor::walk_descendants(target, [&](TSNode node) {
    std::string_view type = SyntaxTree::type(node);
    if (type == "attribute" || type == "subscript") return false;
    if (type == "identifier") names->emplace(tree.text(node));
    return true;
  });
}

// The names a function or lambda binds for itself: parameters and what its body assigns
// (loop and `with ... as` targets included). Nested scopes count too: skipping a little more
// than needed leaves a global unrenamed only where the function shadows it anyway.
std::set<std::string> local_names(const SyntaxTree& tree, TSNode scope) {
  std::set<std::string> names;
  auto collect_targets = [&](TSNode target) { add_targets(tree, target, &names); };
  collect_targets(SyntaxTree::field(scope, "parameters"));
  TSNode body = SyntaxTree::field(scope, "body");
  if (ts_node_is_null(body)) return names;
  extractor::walk_descendants(body, [&](TSNode node) {
    std::string_view type = SyntaxTree::type(node);
    if (type == "assignment" || type == "augmented_assignment" || type == "for_statement" ||
        type == "for_in_clause") {
      collect_targets(SyntaxTree::field(node, "left"));
    } else if (type == "as_pattern") {
      collect_targets(SyntaxTree::field(node, "alias"));
    } else if (type == "function_definition" || type == "class_definition") {
      collect_targets(SyntaxTree::field(node, "name"));
    }
    return true;
  });
  return names;
}

// `x = ...` directly in a class body: a class attribute, not the global.
bool class_attribute(TSNode identifier) {
  TSNode assignment = ts_node_parent(identifier);
  if (SyntaxTree::type(assignment) != "assignment" || !same(SyntaxTree::field(assignment, "left"), identifier)) {
    return false;
  }
  TSNode statement = ts_node_parent(assignment);
  TSNode block = ts_node_is_null(statement) ? statement : ts_node_parent(statement);
  TSNode owner = ts_node_is_null(block) ? block : ts_node_parent(block);
  return !ts_node_is_null(owner) && SyntaxTree::type(owner) == "class_definition";
}

// A parameter's own name (not its default, which the enclosing scope evaluates).
bool parameter_name(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  std::string_view type = SyntaxTree::type(parent);
  if (type == "parameters" || type == "lambda_parameters") return true;
  if (type == "default_parameter" || type == "typed_default_parameter") {
    return same(SyntaxTree::field(parent, "name"), identifier);
  }
  if (type == "typed_parameter") return same(ts_node_named_child(parent, 0), identifier);
  if (type == "list_splat_pattern" || type == "dictionary_splat_pattern") {
    std::string_view outer = SyntaxTree::type(ts_node_parent(parent));
    return outer == "parameters" || outer == "lambda_parameters" || outer == "typed_parameter";
  }
  return false;
}

// Visits the statement's reads of the globals in `names`: visit(node, name) for an identifier
// that is the global (not an attribute's name, a call keyword, a class attribute, a parameter,
// nor inside a function or lambda body that binds it); visit returns false to skip the node's
// children.
template <typename Visit>
void visit_globals(const SyntaxTree& tree, const std::set<std::string>& names, Visit visit) {
  // Function and lambda bodies, outermost first, each with the names it shadows.
  struct Shadow {
    uint32_t start, end;
    std::set<std::string> names;
  };
  std::vector<Shadow> shadows;
  auto shadowed = [&](TSNode node, const std::string& name) {
    uint32_t start = ts_node_start_byte(node);
    for (const auto& shadow : shadows) {
      if (shadow.start <= start && start < shadow.end && shadow.names.count(name)) return true;
    }
    return false;
  };
  extractor::walk_descendants(tree.root(), [&](TSNode node) {
    std::string_view type = SyntaxTree::type(node);
    if (is_scope(type)) {
      TSNode body = SyntaxTree::field(node, "body");
      if (ts_node_is_null(body)) return true;
      Shadow shadow{ts_node_start_byte(body), ts_node_end_byte(body), {}};
      for (const auto& name : local_names(tree, node)) {
        if (names.count(name)) shadow.names.insert(name);
      }
      if (!shadow.names.empty()) shadows.push_back(std::move(shadow));
      return true;
    }
    if (type == "attribute") {
      TSNode object = SyntaxTree::field(node, "object");
      if (SyntaxTree::type(object) != "identifier") return true;
      std::string name(tree.text(object));
      if (!names.count(name) || shadowed(object, name)) return true;
      return visit(node, name);
    }
    if (type != "identifier") return true;
    std::string name(tree.text(node));
    if (!names.count(name)) return true;
    TSNode parent = ts_node_parent(node);
    std::string_view parent_type = SyntaxTree::type(parent);
    if (parent_type == "attribute" && same(SyntaxTree::field(parent, "attribute"), node)) return true;
    if (parent_type == "keyword_argument" && same(SyntaxTree::field(parent, "name"), node)) return true;
    if (class_attribute(node) || parameter_name(node) || shadowed(node, name)) return true;
    return visit(node, name);
  });
}

}  // namespace

std::string rename_identifiers(const std::string& statement, const std::map<std::string, std::string>& renames) {
  if (renames.empty()) return statement;
  SyntaxTree tree(statement);
  std::set<std::string> names;  // what is renamed, and the module objects whose attributes are
  for (const auto& [from, to] : renames) names.insert(from.substr(0, from.find('.')));
  std::vector<std::tuple<uint32_t, uint32_t, std::string>> edits;  // start, end, new name
  visit_globals(tree, names, [&](TSNode node, const std::string& name) {
    if (SyntaxTree::type(node) == "attribute") {
      auto found = renames.find(name + "." + std::string(tree.text(SyntaxTree::field(node, "attribute"))));
      if (found != renames.end()) {
        edits.emplace_back(ts_node_start_byte(node), ts_node_end_byte(node), found->second);
        return false;
      }
      return true;  // the object itself is visited next, as an identifier
    }
    auto found = renames.find(name);
    if (found != renames.end()) edits.emplace_back(ts_node_start_byte(node), ts_node_end_byte(node), found->second);
    return true;
  });
  std::string out = statement;
  for (auto it = edits.rbegin(); it != edits.rend(); ++it) {
    const auto& [start, end, name] = *it;
    out.replace(start, end - start, name);
  }
  return out;
}


std::set<std::string> attributes_read(const std::string& statement, const std::string& name, bool* bare) {
  SyntaxTree tree(statement);
  std::set<std::string> attributes;
  *bare = false;
  visit_globals(tree, {name}, [&](TSNode node, const std::string&) {
    if (SyntaxTree::type(node) == "attribute") {
      attributes.emplace(tree.text(SyntaxTree::field(node, "attribute")));
      return false;
    }
    *bare = true;
    return true;
  });
  return attributes;
}

namespace {

// An identifier that reads a name: not an attribute's name, a call keyword, nor a parameter.
bool reads_name(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  std::string_view type = SyntaxTree::type(parent);
  if (type == "attribute" && same(SyntaxTree::field(parent, "attribute"), identifier)) return false;
  if (type == "keyword_argument" && same(SyntaxTree::field(parent, "name"), identifier)) return false;
  return !parameter_name(identifier);
}

// The names a function or lambda binds for itself, not those its nested scopes bind:
// parameters, assignment and loop targets, `as` names, imports, nested definitions' names.
std::set<std::string> own_names(const SyntaxTree& tree, TSNode scope) {
  std::set<std::string> names;
  auto targets = [&](TSNode target) { add_targets(tree, target, &names); };
  extractor::walk_descendants(SyntaxTree::field(scope, "parameters"), [&](TSNode node) {
    if (SyntaxTree::type(node) == "identifier" && parameter_name(node)) names.emplace(tree.text(node));
    return !is_scope(SyntaxTree::type(node));
  });
  TSNode body = SyntaxTree::field(scope, "body");
  if (ts_node_is_null(body)) return names;
  extractor::walk_descendants(body, [&](TSNode node) {
    std::string_view type = SyntaxTree::type(node);
    if (type == "function_definition" || type == "class_definition") {
      targets(SyntaxTree::field(node, "name"));
      return type == "class_definition";  // a class body reads and binds in this scope's reach
    }
    if (type == "lambda") return false;
    if (type == "assignment" || type == "augmented_assignment" || type == "for_statement" ||
        type == "for_in_clause") {
      targets(SyntaxTree::field(node, "left"));
    } else if (type == "as_pattern") {
      targets(SyntaxTree::field(node, "alias"));
    } else if (type == "named_expression") {
      targets(SyntaxTree::field(node, "name"));
    } else if (type == "aliased_import") {
      targets(SyntaxTree::field(node, "alias"));
      return false;
    } else if (type == "import_statement" || type == "import_from_statement") {
      for (TSNode name : extractor::named_children(node)) {
        if (SyntaxTree::type(name) == "dotted_name" && !same(name, SyntaxTree::field(node, "module_name"))) {
          names.emplace(tree.text(ts_node_named_child(name, 0)));
        }
      }
    }
    return true;
  });
  return names;
}

// What a scope reads from outside itself, its nested scopes' reads included; the defaults
// of a nested scope's parameters are read by this one.
void free_in_scope(const SyntaxTree& tree, TSNode scope, std::set<std::string>* out) {
  std::set<std::string> own = own_names(tree, scope), reads;
  auto read_defaults = [&](TSNode nested) {
    extractor::walk_descendants(SyntaxTree::field(nested, "parameters"), [&](TSNode node) {
      if (SyntaxTree::type(node) == "identifier" && reads_name(node)) reads.emplace(tree.text(node));
      return !is_scope(SyntaxTree::type(node));
    });
  };
  TSNode body = SyntaxTree::field(scope, "body");
  if (ts_node_is_null(body)) return;
  extractor::walk_descendants(body, [&](TSNode node) {
    std::string_view type = SyntaxTree::type(node);
    if (is_scope(type)) {
      read_defaults(node);
      free_in_scope(tree, node, &reads);
      return false;
    }
    if (type == "identifier" && reads_name(node)) reads.emplace(tree.text(node));
    return true;
  });
  for (const auto& name : reads) {
    if (!own.count(name)) out->insert(name);
  }
}

}  // namespace


std::set<std::string> bound_names(const std::string& text) {
  SyntaxTree tree(text);
  TSNode function = extractor::first_function(tree);
  return ts_node_is_null(function) ? std::set<std::string>{} : own_names(tree, function);
}

std::set<std::string> free_names(const std::string& text) {
  SyntaxTree tree(text);
  TSNode function = extractor::first_function(tree);
  std::set<std::string> free;
  if (ts_node_is_null(function)) return free;
  free_in_scope(tree, function, &free);
  // Its parameters' defaults and its decorators are read where it is defined.
  extractor::walk_descendants(SyntaxTree::field(function, "parameters"), [&](TSNode node) {
    if (SyntaxTree::type(node) == "identifier" && reads_name(node)) free.emplace(tree.text(node));
    return !is_scope(SyntaxTree::type(node));
  });
  TSNode parent = ts_node_parent(function);
  if (!ts_node_is_null(parent) && SyntaxTree::type(parent) == "decorated_definition") {
    for (TSNode decorator : extractor::named_children(parent)) {
      if (SyntaxTree::type(decorator) != "decorator") continue;
      extractor::walk_descendants(decorator, [&](TSNode node) {
        if (SyntaxTree::type(node) == "identifier" && reads_name(node)) free.emplace(tree.text(node));
        return true;
      });
    }
  }
  return free;
}

}  // namespace tritonpile::matcher
