#include "extractor/file_extractor.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "extractor/import_aliases.h"
#include "extractor/node_index.h"
#include "extractor/query.h"
#include "extractor/registration_finder.h"
#include "extractor/syntax_tree.h"
#include "extractor/test_finder.h"

namespace tritonpile::extractor {
namespace {

// Qualified names that make a function a Triton kernel when used as its decorator (bare, or
// called with options such as do_not_specialize=...) or in the call form f = triton.jit(f).
const std::set<std::string> kJitNames = {"triton.jit", "triton.runtime.jit", "triton.runtime.jit.jit",
                                         "triton.runtime.jit.JITFunction", "triton.JITFunction"};

// Decorators of other kernel DSLs: their kernels are recorded apart, never as Triton kernels.
const std::vector<std::string> kDslPrefixes = {"triton.experimental.gluon", "tilelang", "cutlass.cute",
                                               "numba.cuda", "cupy", "helion", "warp"};

// Modules whose attributes are never a repository's kernels (torch.ops.x[...] is no launch).
const std::set<std::string> kLibraryModules = {"torch", "triton", "numpy", "math", "functools", "operator"};

std::string first_segment(const std::string& dotted) { return dotted.substr(0, dotted.find('.')); }

const std::set<std::string> kAutogradBases = {"torch.autograd.Function", "torch.autograd.function.Function"};
const std::set<std::string> kModuleBases = {"torch.nn.Module", "torch.nn.modules.module.Module"};

// Names a torch-only function carries when a repository means it as the reference: a
// "_"-separated part ref/reference/torch/naive/spec, or a ref prefix.
bool reference_name(const std::string& name) {
  if (name.rfind("ref", 0) == 0) return true;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('_', start);
    std::string part = name.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part == "ref" || part == "reference" || part == "torch" || part == "naive" || part == "spec") return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

// names sorted and without repeats. A name is read many times in a function: dropping the
// repeats first leaves far fewer names to sort.
std::vector<std::string_view> sorted_unique(const std::vector<std::string_view>& names) {
  std::unordered_set<std::string_view> unique(names.begin(), names.end());
  std::vector<std::string_view> sorted(unique.begin(), unique.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

uint64_t node_key(TSNode node) {
  return (static_cast<uint64_t>(ts_node_start_byte(node)) << 32) | ts_node_end_byte(node);
}

struct Scope {
  TSNode node;
  std::string name;
  std::string qualname;
  bool is_class = false;
};

struct Function {
  TSNode node;
  std::string name;
  std::string qualname;
  Span span;  // with decorators
  std::vector<TSNode> decorators;
  std::vector<Parameter> params;
  bool is_kernel = false;
  std::string dsl;  // set for kernels of another DSL
  std::set<std::string> launched;
  std::map<std::string, std::string> aliases;  // local name -> kernel name it was assigned
  std::set<std::string> tl_ops;
  std::set<std::string> calls;
  std::vector<Parametrize> parametrize;
  bool uses_torch = false;
  bool uses_triton = false;
};

class Extractor {
 public:
  Extractor(std::string source, const std::string& path)
      : tree_(std::move(source)),
        nodes_(NodeIndex::collect(tree_.root(), extractor_root_kinds())),
        imports_(matches(kImports)),
        aliases_(ImportAliases::collect(tree_, imports_)),
        path_(path) {}

  FileExtraction run() {
    FileExtraction out;
    out.syntax_errors = count_syntax_errors();
    collect_definitions(&out);
    mark_call_form_kernels();
    collect_launches();
    collect_attribute_uses();
    collect_parametrize();
    count_generated_kernels(&out);
    out.items = module_items();
    for (auto& f : functions_) classify(f, &out);
    collect_script_checks(&out);
    collect_classes(&out);
    out.registrations = find_registrations(tree_, nodes_.sequences);
    return out;
  }

 private:
  // The matches in this file of one query of extractor/queries/.
  MatchList matches(QueryFile file) const { return extractor_query(file).run(tree_, nodes_.pattern_roots); }

  // ---- definitions -------------------------------------------------------------------
  void collect_definitions(FileExtraction* out) {
    std::map<uint64_t, std::vector<TSNode>> decorators;
    std::map<uint64_t, TSNode> decorated_outer;
    std::vector<Scope> scopes;
    for (const auto& match : matches(kDefinitions)) {
      TSNode node{}, name{}, parameters{}, decorator{}, decorated{}, outer{};
      bool is_function = false, is_class = false;
      for (const auto& c : match) {
        if (c.name == "function") node = c.node, is_function = true;
        if (c.name == "class") node = c.node, is_class = true;
        if (c.name == "name") name = c.node;
        if (c.name == "parameters") parameters = c.node;
        if (c.name == "decorator") decorator = c.node;
        if (c.name == "decorated") decorated = c.node;
        if (c.name == "decorated_definition") outer = c.node;
      }
      if (!ts_node_is_null(decorator)) {
        decorators[node_key(decorated)].push_back(decorator);
        decorated_outer[node_key(decorated)] = outer;
        continue;
      }
      if (!is_function && !is_class) continue;
      if (ts_node_has_error(node)) {
        // A definition tree-sitter had to repair is skipped whole; the rest of the file stands.
        if (is_function) ++out->skipped_definitions;
        continue;
      }
      scopes.push_back({node, std::string(tree_.text(name)), "", is_class});
      if (is_function) {
        Function f;
        f.node = node;
        f.name = scopes.back().name;
        f.params = read_parameters(parameters);
        functions_.push_back(std::move(f));
      }
    }
    auto by_position = [](const auto& a, const auto& b) {
      uint32_t sa = ts_node_start_byte(a.node), sb = ts_node_start_byte(b.node);
      return sa != sb ? sa < sb : ts_node_end_byte(a.node) > ts_node_end_byte(b.node);
    };
    std::sort(scopes.begin(), scopes.end(), by_position);
    std::sort(functions_.begin(), functions_.end(), by_position);
    assign_qualnames(&scopes);
    size_t next = 0;
    for (const auto& scope : scopes) {
      if (scope.is_class) {
        classes_.push_back(scope);
        continue;
      }
      Function& f = functions_[next++];
      f.qualname = scope.qualname;
      auto key = node_key(f.node);
      f.decorators = decorators[key];
      f.span = tree_.span(decorated_outer.count(key) ? decorated_outer[key] : f.node);
      for (TSNode d : f.decorators) {
        TSNode expression = ts_node_named_child(d, 0);
        if (is_jit_expression(expression)) f.is_kernel = true;
        std::string dsl = dsl_of(expression);
        if (!dsl.empty()) f.dsl = dsl;
      }
      index_[key] = next - 1;
      by_start_.push_back(next - 1);
    }
  }

  // Scopes in document order (outer before inner at the same start): a stack of the open ones
  // gives each its qualified name.
  void assign_qualnames(std::vector<Scope>* scopes) {
    std::vector<const Scope*> open;
    for (auto& scope : *scopes) {
      uint32_t start = ts_node_start_byte(scope.node);
      while (!open.empty() && ts_node_end_byte(open.back()->node) <= start) open.pop_back();
      scope.qualname = open.empty() ? scope.name : open.back()->qualname + "." + scope.name;
      open.push_back(&scope);
    }
  }

  bool is_jit_expression(TSNode expression) const {
    if (ts_node_is_null(expression)) return false;
    if (SyntaxTree::type(expression) == "call") expression = SyntaxTree::field(expression, "function");
    return is_jit_name(dotted_name(tree_, expression));
  }

  bool is_jit_name(const std::string& dotted) const {
    return !dotted.empty() && kJitNames.count(aliases_.resolve(dotted));
  }

  std::string dsl_of(TSNode expression) const {
    if (ts_node_is_null(expression)) return {};
    if (SyntaxTree::type(expression) == "call") expression = SyntaxTree::field(expression, "function");
    std::string name = dotted_name(tree_, expression);
    if (name.empty()) return {};
    std::string resolved = aliases_.resolve(name);
    for (const auto& prefix : kDslPrefixes) {
      if (resolved.rfind(prefix + ".", 0) == 0 && resolved.size() > 4 &&
          resolved.compare(resolved.size() - 4, 4, ".jit") == 0) {
        return resolved;
      }
    }
    return {};
  }

  std::vector<Parameter> read_parameters(TSNode parameters) const {
    std::vector<Parameter> params;
    for (TSNode node : named_children(parameters)) {
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

  // The innermost function whose definition holds byte; nullptr at module or class level.
  Function* innermost(uint32_t byte) {
    auto after = std::upper_bound(by_start_.begin(), by_start_.end(), byte, [&](uint32_t b, size_t i) {
      return b < ts_node_start_byte(functions_[i].node);
    });
    while (after != by_start_.begin()) {
      --after;
      Function& f = functions_[*after];
      if (byte < ts_node_end_byte(f.node)) return &f;
    }
    return nullptr;
  }
  Function* innermost(TSNode node) { return innermost(ts_node_start_byte(node)); }

  // ---- uses inside functions ----------------------------------------------------------
  // f = triton.jit(f), triton.heuristics(...)(triton.jit(f)), JITFunction(f): f is a kernel.
  void mark_call_form_kernels() {
    std::map<std::string_view, std::vector<Function*>> module_level;
    for (auto& f : functions_) {
      if (f.qualname == f.name) module_level[f.name].push_back(&f);
    }
    for (const auto& call : nodes_.calls) {
      std::string name = dotted_name(tree_, call.callee);
      if (Function* f = innermost(call.call); f && !name.empty()) f->calls.insert(name);
      if (!is_jit_name(name) || ts_node_named_child_count(call.args) < 1) continue;
      auto target = module_level.find(tree_.text(ts_node_named_child(call.args, 0)));
      if (target == module_level.end()) continue;
      for (Function* f : target->second) f->is_kernel = true;
    }
  }

  std::string launched_name(TSNode kernel) const {
    auto type = SyntaxTree::type(kernel);
    if (type == "identifier") return std::string(tree_.text(kernel));
    if (type == "attribute") {
      // kernels.Softmax.forward[grid]: a kernel reached through an imported module.
      TSNode root = kernel;
      while (SyntaxTree::type(root) == "attribute") root = SyntaxTree::field(root, "object");
      std::string module(SyntaxTree::type(root) == "identifier" ? tree_.text(root) : "");
      if (!module.empty() && aliases_.is_imported(module) && !kLibraryModules.count(first_segment(aliases_.resolve(module)))) {
        return std::string(tree_.text(kernel));
      }
      return std::string(tree_.text(SyntaxTree::field(kernel, "attribute")));
    }
    if (type == "call") {  // wrap_triton(kernel)
      TSNode args = SyntaxTree::field(kernel, "arguments");
      if (ts_node_named_child_count(args) > 0) return launched_name(ts_node_named_child(args, 0));
    }
    return {};
  }

  void collect_launches() {
    for (const auto& f : functions_) {
      if (f.is_kernel) kernel_names_.insert(f.name);
    }
    const auto& kernel_names = kernel_names_;
    // An imported name counts as a kernel only in a file that uses Triton at all: elsewhere
    // handlers[name](...) is a table lookup, not a launch.
    bool imports_triton = aliases_.imports_module("triton");
    // Nothing else can be launched, so the file's calls are not queried.
    if (kernel_names.empty() && !imports_triton) return;
    MatchList launches = extractor_query(kLaunches).run(tree_, launch_roots());
    for (const auto& match : launches) {  // local aliases first: fx = kernel
      TSNode alias{}, aliased{};
      for (const auto& c : match) {
        if (c.name == "alias") alias = c.node;
        if (c.name == "aliased") aliased = c.node;
      }
      if (ts_node_is_null(alias)) continue;
      std::string target(tree_.text(aliased));
      if (!kernel_names.count(target)) continue;
      if (Function* f = innermost(alias)) f->aliases[std::string(tree_.text(alias))] = target;
    }
    for (const auto& match : launches) {
      TSNode kernel{}, launch{};
      for (const auto& c : match) {
        if (c.name == "kernel") kernel = c.node;
        if (c.name == "launch") launch = c.node;
      }
      if (ts_node_is_null(launch)) continue;
      Function* f = innermost(launch);
      if (!f) continue;
      std::string name = launched_name(kernel);
      if (auto alias = f->aliases.find(name); alias != f->aliases.end()) name = alias->second;
      std::string head = name.substr(0, name.find('.'));
      if (name.empty() || (!kernel_names.count(name) && !(imports_triton && aliases_.is_imported(head)))) continue;
      f->launched.insert(name);
    }
    collect_wrapped_kernel_calls();
  }

  // A module-level kernel decorated with @triton.jit under an outermost decorator that is not
  // Triton's own has been made into something else that Python calls: FlagGems'
  // @pointwise_dynamic turns a scalar jit function into an element-wise operator. A plain call
  // of it from Python, outside a kernel, launches it (a bare jit function cannot be called
  // there at all). A kernel made by `f = triton.jit(f)` after its decorators is a bare one.
  void collect_wrapped_kernel_calls() {
    std::set<std::string> wrapped;
    for (const auto& f : functions_) {
      if (!f.is_kernel || f.qualname != f.name || f.decorators.empty()) continue;
      bool jit_decorated = std::any_of(f.decorators.begin(), f.decorators.end(),
                                       [&](TSNode d) { return is_jit_expression(ts_node_named_child(d, 0)); });
      if (!jit_decorated) continue;
      TSNode outermost = ts_node_named_child(f.decorators.front(), 0);
      if (SyntaxTree::type(outermost) == "call") outermost = SyntaxTree::field(outermost, "function");
      std::string name = dotted_name(tree_, outermost);
      if (!name.empty() && first_segment(aliases_.resolve(name)) != "triton") wrapped.insert(f.name);
    }
    if (wrapped.empty()) return;
    for (auto& f : functions_) {
      if (f.is_kernel) continue;
      for (const auto& called : f.calls) {
        if (wrapped.count(called)) f.launched.insert(called);
      }
    }
  }

  // The nodes a launch can start at where one counts: in a function, but not in a kernel's
  // body unless the kernel sits in a class (collect_classes reads what its functions launch).
  std::vector<TSNode> launch_roots() {
    std::vector<bool> counts(functions_.size());
    for (size_t i = 0; i < functions_.size(); ++i) counts[i] = !functions_[i].is_kernel || in_class(functions_[i]);
    const KindSet& kinds = extractor_query(kLaunches).root_kinds();
    std::vector<TSNode> roots;
    for (TSNode root : nodes_.pattern_roots) {
      if (!contains(kinds, ts_node_symbol(root))) continue;
      const Function* f = innermost(root);
      if (f && counts[f - functions_.data()]) roots.push_back(root);
    }
    return roots;
  }

  bool in_class(const Function& f) const {
    uint32_t start = ts_node_start_byte(f.node);
    return std::any_of(classes_.begin(), classes_.end(), [&](const Scope& c) {
      return ts_node_start_byte(c.node) < start && start < ts_node_end_byte(c.node);
    });
  }

  void collect_attribute_uses() {
    for (const auto& attribute : nodes_.attributes) {
      Function* f = innermost(attribute.attribute);
      if (!f) continue;
      std::string module = aliases_.resolve(tree_.text(attribute.object));
      std::string member(tree_.text(attribute.member));
      if (module == "triton.language" || module == "triton.language.core") {
        f->tl_ops.insert("tl." + member);
      } else if (module.rfind("triton.language.", 0) == 0) {
        f->tl_ops.insert("tl." + module.substr(16) + "." + member);
      }
      // triton.cdiv and triton.next_power_of_2 are host arithmetic a PyTorch reference may do.
      bool arithmetic = module == "triton" && (member == "cdiv" || member == "next_power_of_2");
      if (module.rfind("triton", 0) == 0 && !arithmetic) f->uses_triton = true;
      if (module.rfind("torch", 0) == 0) f->uses_torch = true;
    }
  }

  void collect_parametrize() {
    for (const auto& match : matches(kDecorators)) {
      TSNode callee{}, names{}, cases{}, function{};
      for (const auto& c : match) {
        if (c.name == "callee") callee = c.node;
        if (c.name == "names") names = c.node;
        if (c.name == "cases") cases = c.node;
        if (c.name == "function") function = c.node;
      }
      std::string name = dotted_name(tree_, callee);
      if (name.size() < 11 || name.compare(name.size() - 11, 11, "parametrize") != 0) continue;
      auto it = index_.find(node_key(function));
      if (it == index_.end()) continue;
      Parametrize p = read_parametrize(tree_, names, module_value(cases));
      if (!p.names.empty()) functions_[it->second].parametrize.push_back(std::move(p));
    }
  }

  void count_generated_kernels(FileExtraction* out) {
    for (TSNode string : nodes_.strings) {
      if (tree_.text(string).find("triton.jit") != std::string_view::npos) ++out->generated_kernel_strings;
    }
  }

  // A script's own checks (a tutorial's top level, an `if __name__ == "__main__":` block):
  // the comparisons of code outside every function and class, as one test named <module>.
  void collect_script_checks(FileExtraction* out) {
    std::vector<CallNode> calls;
    std::vector<TSNode> assignments;
    auto top_level = [](TSNode node) {
      for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
        auto type = SyntaxTree::type(up);
        if (type == "function_definition" || type == "class_definition" || type == "lambda") return false;
      }
      return true;
    };
    for (const auto& c : nodes_.calls) {
      if (top_level(c.call)) calls.push_back(c);
    }
    for (TSNode a : nodes_.assignments) {
      if (top_level(a)) assignments.push_back(a);
    }
    auto comparisons = find_comparisons(tree_, aliases_, calls, assignments);
    if (comparisons.empty()) return;
    out->tests.push_back({"<module>", "<module>", tree_.span(tree_.root()), std::move(comparisons), {}});
  }

  // ---- module items ---------------------------------------------------------------------
  // The names read inside node, sorted and unique.
  std::vector<std::string> reads_in(TSNode node) const {
    std::vector<std::string_view> names;
    for (TSNode id : inside(nodes_.reads, node)) names.push_back(tree_.text(id));
    names = sorted_unique(names);
    return {names.begin(), names.end()};
  }

  std::vector<ImportBinding> import_bindings(TSNode statement) const {
    std::vector<ImportBinding> out;
    uint32_t start = ts_node_start_byte(statement), end = ts_node_end_byte(statement);
    for (const auto& match : imports_) {
      TSNode import = match.node("import");
      if (ts_node_start_byte(import) < start || ts_node_end_byte(import) > end) continue;
      std::string module, from, member, alias;
      for (const auto& c : match) {
        if (c.name == "module") module = std::string(tree_.text(c.node));
        if (c.name == "from") from = std::string(tree_.text(c.node));
        if (c.name == "member") member = std::string(tree_.text(c.node));
        if (c.name == "alias") alias = std::string(tree_.text(c.node));
        if (c.name == "star") member = "*";
      }
      if (!from.empty()) {
        out.push_back({alias.empty() ? member : alias, from, member});
      } else {
        out.push_back({alias.empty() ? module.substr(0, module.find('.')) : alias, alias.empty() ? module.substr(0, module.find('.')) : module, ""});
      }
    }
    return out;
  }

  // Names a top-level statement binds; for if/try/with, those its blocks bind directly.
  std::vector<std::string> names_bound(TSNode item, std::vector<ImportBinding>* imports) {
    auto type = SyntaxTree::type(item);
    if (type == "decorated_definition") item = SyntaxTree::field(item, "definition");
    type = SyntaxTree::type(item);
    if (type == "function_definition" || type == "class_definition") {
      return {std::string(tree_.text(SyntaxTree::field(item, "name")))};
    }
    std::vector<std::string> binds;
    if (type == "import_statement" || type == "import_from_statement") {
      *imports = import_bindings(item);
      for (const auto& b : *imports) binds.push_back(b.local);
    } else if (type == "expression_statement") {
      TSNode inner = ts_node_named_child(item, 0);
      if (SyntaxTree::type(inner) == "assignment") {
        binds = reads_in(SyntaxTree::field(inner, "left"));
      }
    } else if (type == "if_statement" || type == "try_statement" || type == "with_statement") {
      walk_descendants(item, [&](TSNode node) {
        if (ts_node_eq(node, item)) return true;
        auto inner = SyntaxTree::type(node);
        if (inner == "block" || inner == "else_clause" || inner == "elif_clause" || inner == "except_clause" ||
            inner == "finally_clause" || inner == "decorated_definition" || inner == "expression_statement") {
          return true;
        }
        std::vector<ImportBinding> nested;
        auto names = inner == "assignment" ? reads_in(SyntaxTree::field(node, "left")) : names_bound(node, &nested);
        binds.insert(binds.end(), names.begin(), names.end());
        imports->insert(imports->end(), nested.begin(), nested.end());
        return false;
      });
      std::sort(binds.begin(), binds.end());
      binds.erase(std::unique(binds.begin(), binds.end()), binds.end());
    }
    return binds;
  }

  std::vector<ModuleItem> module_items() {
    std::vector<ModuleItem> items;
    for (TSNode node : named_children(tree_.root())) {
      auto type = SyntaxTree::type(node);
      if (type == "comment") continue;
      ModuleItem item;
      item.span = tree_.span(node);
      item.binds = names_bound(node, &item.imports);
      item.uses = reads_in(node);
      if (type == "import_statement" || type == "import_from_statement" || type == "future_import_statement") {
        item.kind = "import";
        for (const auto& b : item.binds) import_names_.insert(b);
      } else if (type == "function_definition" || type == "class_definition" || type == "decorated_definition") {
        TSNode def = type == "decorated_definition" ? SyntaxTree::field(node, "definition") : node;
        item.kind = SyntaxTree::type(def) == "class_definition" ? "class" : "function";
      } else if (!item.binds.empty()) {
        item.kind = type == "expression_statement" ? "assignment" : "compound";
        for (const auto& b : item.binds) global_names_.insert(b);
      } else {
        item.kind = "other";
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  // ---- classification ---------------------------------------------------------------------
  // Loops of f's own body, not those of functions defined in it.
  int count_loops(const Function& f) {
    int loops = 0;
    for (TSNode loop : inside(nodes_.loops, f.node)) loops += innermost(loop) == &f;
    return loops;
  }

  // The names f's own body reads, not those functions defined in it read.
  std::vector<std::string_view> own_reads(const Function& f) {
    std::vector<std::string_view> names;
    for (TSNode id : inside(nodes_.reads, f.node)) {
      if (innermost(id) == &f) names.push_back(tree_.text(id));
    }
    return sorted_unique(names);
  }

  int count_syntax_errors() const {
    int errors = 0;
    walk_descendants(tree_.root(), [&](TSNode node) {
      if (!ts_node_has_error(node)) return false;
      errors += SyntaxTree::type(node) == "ERROR" || ts_node_is_missing(node);
      return true;
    });
    return errors;
  }

  void classify(Function& f, FileExtraction* out) {
    if (!f.dsl.empty() && !f.is_kernel) {
      out->dsl_kernels.push_back({f.qualname, f.dsl, f.span});
      return;
    }
    if (f.is_kernel) {
      Kernel k;
      k.name = f.name;
      k.qualname = f.qualname;
      k.span = f.span;
      for (TSNode d : f.decorators) k.decorators.push_back(std::string(tree_.text(ts_node_named_child(d, 0))));
      k.params = f.params;
      k.tl_ops.assign(f.tl_ops.begin(), f.tl_ops.end());
      k.calls.assign(f.calls.begin(), f.calls.end());
      k.loops = count_loops(f);
      for (const auto& call : f.calls) {
        if (call.find('.') != std::string::npos) continue;
        if (kernel_names_.count(call)) k.helpers.push_back(call);
        else if (aliases_.is_imported(call)) k.imported_calls.push_back(aliases_.resolve(call));
      }
      std::set<std::string> params;
      for (const auto& p : f.params) params.insert(p.name);
      for (std::string_view view : own_reads(f)) {
        std::string name(view);
        if (params.count(name)) continue;
        if (global_names_.count(name)) k.globals.push_back(name);
        if (import_names_.count(name)) k.imports.push_back(name);
      }
      out->kernels.push_back(std::move(k));
      return;
    }
    if (!f.launched.empty()) {
      out->launchers.push_back({f.name, f.qualname, f.span, f.params, {f.launched.begin(), f.launched.end()},
                                {f.calls.begin(), f.calls.end()}});
      return;
    }
    // A test, or any other function that compares (a test's helper `_check(shape)`, a kernel
    // file's own `benchmark()` check): its comparisons are evidence like a test's.
    auto comparisons =
        find_comparisons(tree_, aliases_, inside(nodes_.calls, f.node), inside(nodes_.assignments, f.node));
    if (f.name.rfind("test", 0) == 0 || !comparisons.empty()) {
      out->tests.push_back({f.name, f.qualname, f.span, std::move(comparisons), f.parametrize});
      return;
    }
    if (f.qualname == f.name && !f.calls.empty()) {
      out->functions.push_back({f.name, f.span, f.params, {f.calls.begin(), f.calls.end()}});
    }
    if (f.uses_triton) return;
    bool naive_module = path_.size() >= 8 && path_.compare(path_.size() - 8, 8, "naive.py") == 0;
    bool named = reference_name(f.name);
    if (named || f.uses_torch || naive_module) {
      out->references.push_back(
          {f.name, f.qualname, f.span, f.params, named ? "name" : naive_module ? "naive-module" : "torch"});
    }
  }

  // autograd.Function / nn.Module wrappers of launchers, and torch-only modules as references.
  // A name's value where a top-level assignment gives it (SHAPES = [(2, 128), ...]), for
  // parametrize cases kept in a module constant; the node itself otherwise.
  TSNode module_value(TSNode node) const {
    if (SyntaxTree::type(node) == "call") return returned_literal(node);
    if (SyntaxTree::type(node) != "identifier") return node;
    std::string_view name = tree_.text(node);
    TSNode value = node;
    for (TSNode item : named_children(tree_.root())) {
      if (SyntaxTree::type(item) != "expression_statement") continue;
      TSNode assignment = ts_node_named_child(item, 0);
      if (SyntaxTree::type(assignment) != "assignment") continue;
      TSNode left = SyntaxTree::field(assignment, "left");
      TSNode right = SyntaxTree::field(assignment, "right");
      if (SyntaxTree::type(left) == "identifier" && tree_.text(left) == name && !ts_node_is_null(right)) value = right;
    }
    return value;
  }

  // `get_params()`, a module function without arguments that returns a list it spells out
  // (directly, or through one local name bound to it): that list; the call itself otherwise.
  TSNode returned_literal(TSNode call) const {
    TSNode function = SyntaxTree::field(call, "function");
    TSNode args = SyntaxTree::field(call, "arguments");
    if (SyntaxTree::type(function) != "identifier" || ts_node_named_child_count(args) != 0) return call;
    std::string_view name = tree_.text(function);
    for (TSNode item : named_children(tree_.root())) {
      TSNode def = SyntaxTree::type(item) == "decorated_definition" ? SyntaxTree::field(item, "definition") : item;
      if (SyntaxTree::type(def) != "function_definition" || tree_.text(SyntaxTree::field(def, "name")) != name) {
        continue;
      }
      std::map<std::string_view, TSNode> locals;
      TSNode returned{};
      for (TSNode statement : named_children(SyntaxTree::field(def, "body"))) {
        auto type = SyntaxTree::type(statement);
        if (type == "return_statement") returned = ts_node_named_child(statement, 0);
        if (type != "expression_statement") continue;
        TSNode assignment = ts_node_named_child(statement, 0);
        if (SyntaxTree::type(assignment) != "assignment") continue;
        TSNode left = SyntaxTree::field(assignment, "left");
        if (SyntaxTree::type(left) == "identifier") locals[tree_.text(left)] = SyntaxTree::field(assignment, "right");
      }
      if (!ts_node_is_null(returned) && SyntaxTree::type(returned) == "identifier") {
        auto bound = locals.find(tree_.text(returned));
        returned = bound == locals.end() ? TSNode{} : bound->second;
      }
      if (!ts_node_is_null(returned) && (SyntaxTree::type(returned) == "list" || SyntaxTree::type(returned) == "tuple")) {
        return returned;
      }
      return call;
    }
    return call;
  }

  void collect_classes(FileExtraction* out) {
    std::set<std::string> launchers, kernels;
    for (const auto& l : out->launchers) launchers.insert(l.name);
    for (const auto& k : out->kernels) kernels.insert(k.name);
    std::map<uint64_t, const Scope*> class_index;
    for (const auto& scope : classes_) class_index[node_key(scope.node)] = &scope;
    for (const auto& match : matches(kClasses)) {
      TSNode node{}, base{};
      for (const auto& c : match) {
        if (c.name == "class") node = c.node;
        if (c.name == "base") base = c.node;
      }
      std::string resolved = aliases_.resolve(dotted_name(tree_, base));
      std::string kind = kAutogradBases.count(resolved) ? "autograd.Function"
                         : kModuleBases.count(resolved) ? "nn.Module" : "";
      if (kind.empty()) continue;
      auto found = class_index.find(node_key(node));
      if (found == class_index.end()) continue;
      const Scope* scope = found->second;
      std::set<std::string> reached, called;
      std::vector<Parameter> forward_params;
      bool uses_triton = false, uses_torch = false;
      uint32_t class_start = ts_node_start_byte(node), class_end = ts_node_end_byte(node);
      auto first = std::lower_bound(by_start_.begin(), by_start_.end(), class_start, [&](size_t i, uint32_t b) {
        return ts_node_start_byte(functions_[i].node) < b;
      });
      for (auto it = first; it != by_start_.end() && ts_node_start_byte(functions_[*it].node) < class_end; ++it) {
        const Function& f = functions_[*it];
        uses_triton = uses_triton || f.uses_triton || f.is_kernel || !f.launched.empty();
        uses_torch = uses_torch || f.uses_torch;
        reached.insert(f.launched.begin(), f.launched.end());
        called.insert(f.calls.begin(), f.calls.end());
        if (f.qualname == scope->qualname + ".forward") forward_params = f.params;
        for (const auto& call : f.calls) {
          std::string last = call.substr(call.rfind('.') + 1);
          if (launchers.count(last) || kernels.count(last)) reached.insert(last);
        }
      }
      Span span = tree_.span(node);
      // An autograd.Function that reaches no kernel of this file may still reach one through
      // another module; the matcher decides, from its calls.
      bool autograd = kind == "autograd.Function" && !called.empty();
      if (!reached.empty() || autograd) {
        out->wrappers.push_back({scope->qualname, kind, span, {reached.begin(), reached.end()},
                                 {called.begin(), called.end()}, std::move(forward_params)});
      } else if (kind == "nn.Module" && !uses_triton && (uses_torch || reference_name(scope->name))) {
        out->references.push_back({scope->name, scope->qualname, span, {}, "torch", "class"});
      }
    }
  }

  SyntaxTree tree_;
  NodeIndex nodes_;
  MatchList imports_;
  ImportAliases aliases_;
  std::string path_;
  std::vector<Function> functions_;
  std::vector<Scope> classes_;
  std::vector<size_t> by_start_;  // function indices in order of definition start
  std::map<uint64_t, size_t> index_;
  std::set<std::string> kernel_names_;
  std::set<std::string> global_names_;
  std::set<std::string> import_names_;
};

}  // namespace

FileExtraction extract_file(std::string source, const std::string& path) {
  if (source.size() > kMaxFileBytes) {
    FileExtraction out;
    out.too_large = true;
    return out;
  }
  return Extractor(std::move(source), path).run();
}

}  // namespace tritonpile::extractor
