#include "extractor/file_extractor.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "extractor/import_aliases.h"
#include "extractor/query.h"
#include "extractor/syntax_tree.h"
#include "extractor/test_finder.h"

namespace tritonpile::extractor {
namespace {

// Qualified names that make a function a Triton kernel when used as its decorator (bare, or
// called with options such as do_not_specialize=...) or in the call form f = triton.jit(f).
const std::set<std::string> kJitNames = {"triton.jit", "triton.runtime.jit", "triton.runtime.jit.jit",
                                         "triton.runtime.jit.JITFunction", "triton.JITFunction"};

// Names a torch-only function carries when a repository means it as the reference.
const std::regex kReferenceName("(^|_)(ref|reference|torch|naive|spec)(_|$)|^ref|_ref$");

struct Function {
  TSNode node;
  std::string name;
  std::string qualname;
  Span span;  // with decorators
  std::vector<TSNode> decorators;
  std::vector<Parameter> params;
  bool is_kernel = false;
  std::set<std::string> launched;  // kernel names
  std::set<std::string> tl_ops;
  std::set<std::string> calls;
  bool uses_torch = false;
  bool uses_triton = false;
};

uint64_t node_key(TSNode node) {
  return (static_cast<uint64_t>(ts_node_start_byte(node)) << 32) | ts_node_end_byte(node);
}

class Extractor {
 public:
  explicit Extractor(std::string source) : tree_(std::move(source)), aliases_(ImportAliases::collect(tree_)) {}

  FileExtraction run() {
    FileExtraction out;
    out.syntax_errors = count_syntax_errors(tree_.root());
    collect_functions();
    mark_call_form_kernels();
    collect_launches();
    collect_attribute_uses();
    collect_calls();
    out.items = module_items();
    for (auto& f : functions_) classify(f, &out);
    return out;
  }

 private:
  // ERROR nodes (text tree-sitter skipped) and MISSING nodes (tokens it had to invent).
  static int count_syntax_errors(TSNode node) {
    if (!ts_node_has_error(node)) return 0;
    int errors = SyntaxTree::type(node) == "ERROR" || ts_node_is_missing(node);
    for (uint32_t i = 0; i < ts_node_child_count(node); ++i) errors += count_syntax_errors(ts_node_child(node, i));
    return errors;
  }

  void collect_functions() {
    definitions_query().for_each_match(tree_, tree_.root(), [&](const std::vector<Capture>& captures) {
      Function f;
      TSNode parameters{};
      bool is_function = false;
      for (const auto& c : captures) {
        if (c.name == "function") {
          f.node = c.node;
          is_function = true;
        }
        if (c.name == "name") f.name = std::string(tree_.text(c.node));
        if (c.name == "parameters") parameters = c.node;
      }
      // A definition tree-sitter had to repair is skipped whole; the rest of the file stands.
      if (!is_function || ts_node_has_error(f.node)) return;
      f.qualname = qualified_name(f.node, f.name);
      TSNode outer = f.node;
      TSNode parent = ts_node_parent(f.node);
      if (!ts_node_is_null(parent) && SyntaxTree::type(parent) == "decorated_definition") {
        outer = parent;
        for (uint32_t i = 0; i < ts_node_named_child_count(parent); ++i) {
          TSNode child = ts_node_named_child(parent, i);
          if (SyntaxTree::type(child) == "decorator") f.decorators.push_back(child);
        }
      }
      f.span = tree_.span(outer);
      f.params = read_parameters(parameters);
      f.is_kernel = std::any_of(f.decorators.begin(), f.decorators.end(),
                                [&](TSNode d) { return is_jit_expression(ts_node_named_child(d, 0)); });
      index_[node_key(f.node)] = functions_.size();
      functions_.push_back(std::move(f));
    });
  }

  std::string qualified_name(TSNode node, const std::string& name) {
    std::string qualname = name;
    for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
      auto type = SyntaxTree::type(p);
      if (type == "function_definition" || type == "class_definition") {
        qualname = std::string(tree_.text(SyntaxTree::field(p, "name"))) + "." + qualname;
      }
    }
    return qualname;
  }

  bool is_jit_expression(TSNode expression) {
    if (ts_node_is_null(expression)) return false;
    if (SyntaxTree::type(expression) == "call") expression = SyntaxTree::field(expression, "function");
    std::string name = dotted_name(tree_, expression);
    return !name.empty() && kJitNames.count(aliases_.resolve(name));
  }

  std::vector<Parameter> read_parameters(TSNode parameters) {
    std::vector<Parameter> params;
    for (uint32_t i = 0; i < ts_node_named_child_count(parameters); ++i) {
      TSNode node = ts_node_named_child(parameters, i);
      auto type = SyntaxTree::type(node);
      Parameter p;
      if (type == "identifier") {
        p.name = std::string(tree_.text(node));
      } else if (type == "typed_parameter") {
        p.name = std::string(tree_.text(ts_node_named_child(node, 0)));
        p.annotation = std::string(tree_.text(SyntaxTree::field(node, "type")));
      } else if (type == "default_parameter" || type == "typed_default_parameter") {
        p.name = std::string(tree_.text(SyntaxTree::field(node, "name")));
        p.annotation = std::string(tree_.text(SyntaxTree::field(node, "type")));
        p.default_value = std::string(tree_.text(SyntaxTree::field(node, "value")));
      } else if (type == "list_splat_pattern" || type == "dictionary_splat_pattern") {
        p.name = std::string(tree_.text(node));
      } else {
        continue;  // the bare '*' and '/' separators
      }
      p.constexpr_ = !p.annotation.empty() && aliases_.resolve(p.annotation) == "triton.language.constexpr";
      params.push_back(std::move(p));
    }
    return params;
  }

  // The innermost function definition around node, or nullptr at module level.
  Function* enclosing_function(TSNode node) {
    for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
      if (SyntaxTree::type(p) != "function_definition") continue;
      auto it = index_.find(node_key(p));
      return it == index_.end() ? nullptr : &functions_[it->second];
    }
    return nullptr;
  }

  // f = triton.jit(f) (and g = triton.jit(f)): both names denote the kernel defined as f.
  void mark_call_form_kernels() {
    calls_query().for_each_match(tree_, tree_.root(), [&](const std::vector<Capture>& captures) {
      TSNode call{};
      for (const auto& c : captures) {
        if (c.name == "call") call = c.node;
      }
      if (!is_jit_expression(call)) return;
      TSNode args = SyntaxTree::field(call, "arguments");
      if (ts_node_named_child_count(args) < 1) return;
      std::string target(tree_.text(ts_node_named_child(args, 0)));
      for (auto& f : functions_) {
        if (f.name == target && !enclosing_function(f.node)) f.is_kernel = true;
      }
    });
  }

  std::string launched_name(TSNode kernel) {
    auto type = SyntaxTree::type(kernel);
    if (type == "identifier") return std::string(tree_.text(kernel));
    if (type == "attribute") return std::string(tree_.text(SyntaxTree::field(kernel, "attribute")));
    if (type == "call") {  // wrap_triton(kernel)
      TSNode args = SyntaxTree::field(kernel, "arguments");
      if (ts_node_named_child_count(args) > 0) return launched_name(ts_node_named_child(args, 0));
    }
    return {};
  }

  void collect_launches() {
    std::set<std::string> kernel_names;
    for (const auto& f : functions_) {
      if (f.is_kernel) kernel_names.insert(f.name);
    }
    launches_query().for_each_match(tree_, tree_.root(), [&](const std::vector<Capture>& captures) {
      TSNode kernel{}, launch{};
      for (const auto& c : captures) {
        if (c.name == "kernel") kernel = c.node;
        if (c.name == "launch") launch = c.node;
      }
      std::string name = launched_name(kernel);
      if (name.empty() || (!kernel_names.count(name) && !aliases_.is_imported(name))) return;
      if (Function* f = enclosing_function(launch)) f->launched.insert(name);
    });
  }

  void collect_attribute_uses() {
    attributes_query().for_each_match(tree_, tree_.root(), [&](const std::vector<Capture>& captures) {
      std::string object, member;
      TSNode attribute{};
      for (const auto& c : captures) {
        if (c.name == "object") object = std::string(tree_.text(c.node));
        if (c.name == "member") member = std::string(tree_.text(c.node));
        if (c.name == "attribute") attribute = c.node;
      }
      Function* f = enclosing_function(attribute);
      if (!f) return;
      std::string module = aliases_.resolve(object);
      if (module == "triton.language") f->tl_ops.insert("tl." + member);
      if (module.rfind("triton", 0) == 0) f->uses_triton = true;
      if (module.rfind("torch", 0) == 0) f->uses_torch = true;
    });
  }

  void collect_calls() {
    calls_query().for_each_match(tree_, tree_.root(), [&](const std::vector<Capture>& captures) {
      TSNode callee{}, call{};
      for (const auto& c : captures) {
        if (c.name == "callee") callee = c.node;
        if (c.name == "call") call = c.node;
      }
      std::string name = dotted_name(tree_, callee);
      if (name.empty()) return;
      if (Function* f = enclosing_function(call)) f->calls.insert(name);
    });
  }

  // Identifiers read inside node: attribute members and keyword names are not reads.
  std::vector<std::string> names_used(TSNode node) {
    std::set<std::string> names;
    identifiers_query().for_each_match(tree_, node, [&](const std::vector<Capture>& captures) {
      TSNode id = captures[0].node;
      TSNode parent = ts_node_parent(id);
      auto parent_type = SyntaxTree::type(parent);
      if (parent_type == "attribute" && ts_node_eq(SyntaxTree::field(parent, "attribute"), id)) return;
      if (parent_type == "keyword_argument" && ts_node_eq(SyntaxTree::field(parent, "name"), id)) return;
      names.insert(std::string(tree_.text(id)));
    });
    return {names.begin(), names.end()};
  }

  std::vector<std::string> names_bound(TSNode item) {
    auto type = SyntaxTree::type(item);
    std::vector<std::string> binds;
    if (type == "decorated_definition") item = SyntaxTree::field(item, "definition");
    type = SyntaxTree::type(item);
    if (type == "function_definition" || type == "class_definition") {
      binds.push_back(std::string(tree_.text(SyntaxTree::field(item, "name"))));
    } else if (type == "import_statement" || type == "import_from_statement") {
      imports_query().for_each_match(tree_, item, [&](const std::vector<Capture>& captures) {
        std::string module, member, alias;
        for (const auto& c : captures) {
          if (c.name == "module") module = std::string(tree_.text(c.node));
          if (c.name == "member") member = std::string(tree_.text(c.node));
          if (c.name == "alias") alias = std::string(tree_.text(c.node));
        }
        if (!alias.empty()) binds.push_back(alias);
        else if (!member.empty()) binds.push_back(member);
        else binds.push_back(module.substr(0, module.find('.')));
      });
    } else if (type == "expression_statement") {
      TSNode inner = ts_node_named_child(item, 0);
      if (SyntaxTree::type(inner) == "assignment") {
        TSNode left = SyntaxTree::field(inner, "left");
        identifiers_query().for_each_match(tree_, left, [&](const std::vector<Capture>& captures) {
          binds.push_back(std::string(tree_.text(captures[0].node)));
        });
      }
    }
    return binds;
  }

  std::vector<ModuleItem> module_items() {
    std::vector<ModuleItem> items;
    TSNode root = tree_.root();
    for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
      TSNode node = ts_node_named_child(root, i);
      auto type = SyntaxTree::type(node);
      if (type == "comment") continue;
      ModuleItem item;
      item.span = tree_.span(node);
      item.binds = names_bound(node);
      item.uses = names_used(node);
      if (type == "import_statement" || type == "import_from_statement" || type == "future_import_statement") {
        item.kind = "import";
      } else if (type == "function_definition" || type == "class_definition" || type == "decorated_definition") {
        TSNode def = type == "decorated_definition" ? SyntaxTree::field(node, "definition") : node;
        item.kind = SyntaxTree::type(def) == "class_definition" ? "class" : "function";
      } else if (!item.binds.empty()) {
        item.kind = "assignment";
      } else {
        item.kind = "other";
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  static int count_loops(TSNode node) {
    int loops = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
      TSNode child = ts_node_named_child(node, i);
      auto type = SyntaxTree::type(child);
      if (type == "function_definition") continue;  // a nested definition's loops are its own
      loops += (type == "for_statement" || type == "while_statement") + count_loops(child);
    }
    return loops;
  }

  void classify(const Function& f, FileExtraction* out) {
    if (f.is_kernel) {
      Kernel k{f.name, f.qualname, f.span, {}, f.params, {f.tl_ops.begin(), f.tl_ops.end()},
               {f.calls.begin(), f.calls.end()}, count_loops(f.node)};
      for (TSNode d : f.decorators) k.decorators.push_back(std::string(tree_.text(ts_node_named_child(d, 0))));
      out->kernels.push_back(std::move(k));
      return;
    }
    if (!f.launched.empty()) {
      out->launchers.push_back({f.name, f.qualname, f.span, f.params, {f.launched.begin(), f.launched.end()}});
      return;
    }
    if (f.name.rfind("test", 0) == 0) {
      out->tests.push_back({f.name, f.qualname, f.span, find_comparisons(tree_, aliases_, f.node)});
      return;
    }
    if (f.uses_triton) return;
    bool named = std::regex_search(f.name, kReferenceName);
    if (named || f.uses_torch) {
      out->references.push_back({f.name, f.qualname, f.span, f.params, named ? "name" : "torch"});
    }
  }

  SyntaxTree tree_;
  ImportAliases aliases_;
  std::vector<Function> functions_;
  std::map<uint64_t, size_t> index_;
};

}  // namespace

FileExtraction extract_file(std::string source) { return Extractor(std::move(source)).run(); }

}  // namespace tritonpile::extractor
