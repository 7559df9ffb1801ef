#include "extractor/test_finder.h"

#include <map>
#include <set>
#include <tuple>

#include "extractor/query.h"

namespace tritonpile::extractor {
namespace {

const std::set<std::string> kTensorConstructors = {"randn", "rand", "ones", "zeros", "empty", "randint"};

// torch.allclose, torch.testing.assert_close, torch.equal and the helpers repositories wrap
// them in (assert_verbose_allclose, util.equal, check_close, assert_tensors_equal).
bool is_comparison(const std::string& callee) {
  std::string last = callee.substr(callee.rfind('.') + 1);
  auto ends_with = [&](const std::string& suffix) {
    return last.size() >= suffix.size() && last.compare(last.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return last.find("allclose") != std::string::npos || last.find("assert_close") != std::string::npos ||
         ends_with("_close") || last == "equal" || ends_with("_equal");
}

bool parse_number(std::string_view text, double* out) {
  try {
    size_t used = 0;
    *out = std::stod(std::string(text), &used);
    return used == text.size();
  } catch (...) {
    return false;
  }
}

class TestReader {
 public:
  TestReader(const SyntaxTree& tree, const ImportAliases& aliases) : tree_(tree), aliases_(aliases) {}

  // assignments in document order: a name's last binding wins.
  void collect_bindings(std::span<const TSNode> assignments) {
    for (TSNode assignment : assignments) {
      TSNode left = SyntaxTree::field(assignment, "left");
      TSNode right = SyntaxTree::field(assignment, "right");
      if (ts_node_is_null(right)) continue;
      auto left_type = SyntaxTree::type(left);
      if (left_type == "identifier") {
        bindings_[std::string(tree_.text(left))] = right;
        parts_.erase(std::string(tree_.text(left)));
      } else if ((left_type == "pattern_list" || left_type == "tuple_pattern") &&
                 (SyntaxTree::type(right) == "expression_list" || SyntaxTree::type(right) == "tuple") &&
                 ts_node_named_child_count(right) == ts_node_named_child_count(left)) {
        // M, K = 4096, 1024: each name its own value.
        for (uint32_t i = 0; i < ts_node_named_child_count(left); ++i) {
          TSNode name = ts_node_named_child(left, i);
          if (SyntaxTree::type(name) != "identifier") continue;
          bindings_[std::string(tree_.text(name))] = ts_node_named_child(right, i);
          parts_.erase(std::string(tree_.text(name)));
        }
      } else if ((left_type == "pattern_list" || left_type == "tuple_pattern") && SyntaxTree::type(right) == "call") {
        // out, scale = quantize(x): each name stands for (part of) what the call returns.
        for (uint32_t i = 0; i < ts_node_named_child_count(left); ++i) {
          TSNode name = ts_node_named_child(left, i);
          if (SyntaxTree::type(name) != "identifier") continue;
          bindings_[std::string(tree_.text(name))] = right;
          parts_[std::string(tree_.text(name))] = {static_cast<int>(i), static_cast<int>(ts_node_named_child_count(left))};
        }
      }
    }
  }

  // Variables bound to a conversion or copy of another variable, to that variable.
  std::map<std::string, std::string> copies() const {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : bindings_) {
      TSNode source = value;
      for (TSNode inner = converted(source); !ts_node_is_null(inner); inner = converted(source)) source = inner;
      if (ts_node_eq(source, value) || SyntaxTree::type(source) != "identifier") continue;
      std::string copied(tree_.text(source));
      if (copied != name) out[name] = copied;
    }
    return out;
  }

  // Variables bound to `helper(v, ...)`, a plain-named function that is not an import of
  // torch's, on a variable first: name -> {helper, v}.
  std::map<std::string, std::vector<std::string>> helper_copies() const {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [name, value] : bindings_) {
      if (SyntaxTree::type(value) != "call") continue;
      TSNode function = SyntaxTree::field(value, "function");
      if (SyntaxTree::type(function) != "identifier") continue;
      std::string helper(tree_.text(function));
      if (aliases_.resolve(helper).rfind("torch", 0) == 0) continue;
      TSNode args = SyntaxTree::field(value, "arguments");
      TSNode first = ts_node_named_child_count(args) ? ts_node_named_child(args, 0) : TSNode{};
      if (ts_node_is_null(first) || SyntaxTree::type(first) != "identifier") continue;
      std::string source(tree_.text(first));
      if (source != name) out[name] = {helper, source};
    }
    return out;
  }

  // Reads one side of a comparison; a side that is not a call keeps only its text. A variable
  // that a statement call before the comparison was given (and nothing rebound since) is what
  // that call wrote: the call, with the argument marked.
  bool call_site(TSNode node, CallSite* site, uint32_t compared_at, std::span<const CallNode> calls,
                 std::span<const TSNode> assignments, TSNode* computed) {
    site->mutated = changed_after_binding(node, compared_at, calls, assignments);
    TSNode writer = fresh_variable(node) ? written_by(node, compared_at, calls, &site->result_argument) : TSNode{};
    node = ts_node_is_null(writer) ? origin(node, &site->part, &site->parts) : writer;
    *computed = node;
    site->text = std::string(tree_.text(node));
    site->line = static_cast<int>(ts_node_start_point(node).row) + 1;
    if (SyntaxTree::type(node) != "call") return false;
    site->callee = dotted_name(tree_, SyntaxTree::field(node, "function"));
    if (site->callee.empty()) return false;
    TSNode args = SyntaxTree::field(node, "arguments");
    for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
      TSNode arg = ts_node_named_child(args, i);
      CallArg out;
      if (SyntaxTree::type(arg) == "keyword_argument") {
        out.keyword = std::string(tree_.text(SyntaxTree::field(arg, "name")));
        arg = SyntaxTree::field(arg, "value");
      }
      out.text = std::string(tree_.text(arg));
      classify_argument(arg, &out);
      site->args.push_back(std::move(out));
    }
    return true;
  }

  // Whether a variable `first` reads is assigned anew after it and before `second` starts.
  bool rebinds_between(TSNode first, TSNode second, std::span<const TSNode> assignments) const {
    std::set<std::string> read;
    walk_descendants(first, [&](TSNode node) {
      if (SyntaxTree::type(node) != "identifier") return true;
      TSNode parent = ts_node_parent(node);
      auto type = SyntaxTree::type(parent);
      bool named = (type == "attribute" && ts_node_eq(SyntaxTree::field(parent, "attribute"), node)) ||
                   (type == "keyword_argument" && ts_node_eq(SyntaxTree::field(parent, "name"), node));
      if (!named) read.emplace(tree_.text(node));
      return true;
    });
    for (TSNode assignment : assignments) {
      uint32_t at = ts_node_start_byte(assignment);
      if (at < ts_node_end_byte(first) || at >= ts_node_start_byte(second)) continue;
      bool rebound = false;
      walk_descendants(SyntaxTree::field(assignment, "left"), [&](TSNode node) {
        auto type = SyntaxTree::type(node);
        if (type == "attribute" || type == "subscript") return false;
        rebound = rebound || (type == "identifier" && read.count(std::string(tree_.text(node))));
        return true;
      });
      if (rebound) return true;
    }
    return false;
  }

 private:
  // Where the test's last binding of a variable ends; 0 for one it does not bind.
  uint32_t binding_end(const std::string& name) const {
    auto bound = bindings_.find(name);
    return bound == bindings_.end() ? 0 : ts_node_end_byte(bound->second);
  }

  // The variable is changed in place between its binding and `before`: an element assignment
  // (ref[:, n // 2:] = 0) or an in-place method (ref.zero_(), ref.masked_fill_(m, 0)).
  bool changed_after_binding(TSNode node, uint32_t before, std::span<const CallNode> calls,
                             std::span<const TSNode> assignments) const {
    if (SyntaxTree::type(node) != "identifier") return false;
    std::string name(tree_.text(node));
    uint32_t after = binding_end(name);
    auto in_range = [&](TSNode n) { return ts_node_start_byte(n) >= after && ts_node_start_byte(n) < before; };
    for (TSNode assignment : assignments) {
      TSNode left = SyntaxTree::field(assignment, "left");
      if (SyntaxTree::type(left) == "subscript" && in_range(assignment) &&
          tree_.text(SyntaxTree::field(left, "value")) == name) {
        return true;
      }
    }
    for (const auto& c : calls) {
      if (SyntaxTree::type(c.callee) != "attribute" || !in_range(c.call)) continue;
      std::string method(tree_.text(SyntaxTree::field(c.callee, "attribute")));
      if (tree_.text(SyntaxTree::field(c.callee, "object")) == name && method.size() > 1 && method.back() == '_' &&
          method != "requires_grad_" && method.rfind("__", 0) != 0) {
        return true;
      }
    }
    return false;
  }

  // A variable a later call may write into: one the test does not bind (a parameter, a
  // fixture) or binds to a torch value (torch.empty_like(x), torch.rand(...), x.clone()).
  // Not one holding what a repository function returned: that function computed it.
  bool fresh_variable(TSNode node) const {
    if (SyntaxTree::type(node) != "identifier") return false;
    auto bound = bindings_.find(std::string(tree_.text(node)));
    if (bound == bindings_.end()) return true;
    if (parts_.count(std::string(tree_.text(node)))) return false;
    TSNode value = bound->second;
    for (TSNode inner = converted(value); !ts_node_is_null(inner); inner = converted(value)) value = inner;
    if (SyntaxTree::type(value) != "call") return SyntaxTree::type(value) == "identifier";
    std::string callee = aliases_.resolve(dotted_name(tree_, SyntaxTree::field(value, "function")));
    return callee.rfind("torch.", 0) == 0;
  }

  // Calls that only look at a value: printing, logging, comparing, torch's own functions.
  bool only_reads(const std::string& callee) const {
    std::string resolved = aliases_.resolve(callee);
    for (const char* prefix : {"torch.", "print", "logger.", "logging.", "pytest.", "np.", "numpy.", "assert"}) {
      if (resolved.rfind(prefix, 0) == 0 || callee.rfind(prefix, 0) == 0) return true;
    }
    return is_comparison(callee);
  }

  // The last call before `before` that stands as a statement of its own (what it returns is
  // dropped) and is given the variable, after the variable's own binding; a null node when
  // there is none. *argument: the variable's index among the call's arguments.
  TSNode written_by(TSNode variable, uint32_t before, std::span<const CallNode> calls, int* argument) const {
    std::string name(tree_.text(variable));
    uint32_t after = binding_end(name);
    TSNode found{};
    for (const auto& c : calls) {
      uint32_t at = ts_node_start_byte(c.call);
      if (at < after || at >= before || SyntaxTree::type(ts_node_parent(c.call)) != "expression_statement") continue;
      std::string callee = dotted_name(tree_, c.callee);
      if (callee.empty() || only_reads(callee)) continue;
      for (uint32_t i = 0; i < ts_node_named_child_count(c.args); ++i) {
        TSNode arg = ts_node_named_child(c.args, i);
        if (SyntaxTree::type(arg) == "keyword_argument") arg = SyntaxTree::field(arg, "value");
        if (SyntaxTree::type(arg) == "identifier" && tree_.text(arg) == name &&
            (ts_node_is_null(found) || ts_node_start_byte(found) < at)) {
          found = c.call;
          *argument = static_cast<int>(i);
        }
      }
    }
    return found;
  }

  // What a compared value was computed by: through the variables that hold it and the
  // conversions that only change its dtype or device (ref.float(), out.to(torch.float32)).
  // part: set when a variable on the way holds one element of an unpacked result.
  TSNode origin(TSNode node, int* part, int* parts) const {
    for (int depth = 0; depth < 8; ++depth) {
      auto type = SyntaxTree::type(node);
      if (type == "identifier") {
        std::string name(tree_.text(node));
        auto it = bindings_.find(name);
        if (it == bindings_.end()) break;
        if (auto unpacked = parts_.find(name); unpacked != parts_.end()) std::tie(*part, *parts) = unpacked->second;
        node = it->second;
      } else if (TSNode inner = converted(node); !ts_node_is_null(inner)) {
        node = inner;
      } else {
        break;
      }
    }
    return node;
  }

  // x for x.to(...), x.float(), x.clone(), ...: a conversion that keeps the values; a null
  // node for anything else.
  TSNode converted(TSNode node) const {
    if (SyntaxTree::type(node) != "call") return TSNode{};
    TSNode function = SyntaxTree::field(node, "function");
    if (SyntaxTree::type(function) != "attribute" ||
        !is_conversion_method(tree_.text(SyntaxTree::field(function, "attribute")))) {
      return TSNode{};
    }
    return SyntaxTree::field(function, "object");
  }

  void classify_argument(TSNode node, CallArg* arg) {
    auto type = SyntaxTree::type(node);
    std::string_view text = tree_.text(node);
    double number = 0;
    if (type == "integer" || (type == "unary_operator" && parse_number(text, &number) &&
                              text.find('.') == std::string_view::npos)) {
      arg->kind = "int";
    } else if (type == "float" || (type == "unary_operator" && parse_number(text, &number))) {
      arg->kind = "float";
    } else if (type == "true" || type == "false") {
      arg->kind = "bool";
    } else if (tensor_spec(node, &arg->tensor, 0)) {
      arg->kind = "tensor";
    } else {
      arg->kind = "other";
    }
  }

  // Reads torch.<constructor>(shape..., dtype=...) optionally scaled or shifted by literals,
  // following a variable to the assignment that bound it.
  bool tensor_spec(TSNode node, TensorSpec* spec, int depth) {
    if (depth > 8 || ts_node_is_null(node)) return false;
    auto type = SyntaxTree::type(node);
    if (type == "identifier") {
      auto it = bindings_.find(std::string(tree_.text(node)));
      return it != bindings_.end() && tensor_spec(it->second, spec, depth + 1);
    }
    if (type == "parenthesized_expression") return tensor_spec(ts_node_named_child(node, 0), spec, depth + 1);
    if (type == "binary_operator") return scaled_tensor(node, spec, depth);
    if (type != "call") return false;
    // x.clone().requires_grad_(), x.to(device), x.half(): the tensor converted, its dtype
    // changed where the conversion says so.
    if (TSNode source = converted(node); !ts_node_is_null(source)) {
      if (!tensor_spec(source, spec, depth + 1)) return false;
      return converted_dtype(node, spec);
    }
    std::string callee = aliases_.resolve(dotted_name(tree_, SyntaxTree::field(node, "function")));
    // torch.randn_like(x): x's shape and dtype, values of its own.
    if (callee.size() > 11 && callee.rfind("torch.", 0) == 0 && callee.compare(callee.size() - 5, 5, "_like") == 0 &&
        kTensorConstructors.count(callee.substr(6, callee.size() - 11))) {
      TSNode args = SyntaxTree::field(node, "arguments");
      if (ts_node_named_child_count(args) == 0 || !tensor_spec(ts_node_named_child(args, 0), spec, depth + 1)) {
        return false;
      }
      spec->constructor = callee.substr(6, callee.size() - 11);
      spec->scale = 1.0;
      spec->offset = 0.0;
      return spec->constructor != "randint";
    }
    if (callee.rfind("torch.", 0) != 0 || !kTensorConstructors.count(callee.substr(6))) return false;
    spec->constructor = callee.substr(6);
    TSNode args = SyntaxTree::field(node, "arguments");
    for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
      TSNode arg = ts_node_named_child(args, i);
      if (SyntaxTree::type(arg) == "keyword_argument") {
        std::string_view key = tree_.text(SyntaxTree::field(arg, "name"));
        TSNode value = SyntaxTree::field(arg, "value");
        if (key == "dtype") {
          // A name (from parametrize, say) is kept as written for the matcher to resolve.
          std::string dtype = aliases_.resolve(dotted_name(tree_, value));
          if (dtype.empty()) return false;
          spec->dtype = dtype.rfind("torch.", 0) == 0 ? dtype.substr(6) : dtype;
        } else if (key == "size" && !read_dims(value, spec)) {
          return false;
        }
        continue;
      }
      if (!read_dims(arg, spec)) return false;
    }
    if (spec->constructor == "randint") return false;  // needs low/high, not yet read
    if (spec->shape.size() != spec->dims.size()) spec->shape.clear();
    return !spec->dims.empty();
  }

  // The dtype after a conversion: .half(), .float(), .bfloat16(), .double(), .to(torch.float16)
  // or .to(dtype=...); a .to() whose argument is neither a dtype nor a device is not read.
  bool converted_dtype(TSNode call, TensorSpec* spec) const {
    static const std::map<std::string, std::string> kMethodDtypes = {
        {"half", "float16"}, {"float", "float32"}, {"bfloat16", "bfloat16"}, {"double", "float64"}};
    std::string method(tree_.text(SyntaxTree::field(SyntaxTree::field(call, "function"), "attribute")));
    if (auto it = kMethodDtypes.find(method); it != kMethodDtypes.end()) spec->dtype = it->second;
    if (method != "to") return true;
    for (TSNode arg : named_children(SyntaxTree::field(call, "arguments"))) {
      bool keyword = SyntaxTree::type(arg) == "keyword_argument";
      std::string key = keyword ? std::string(tree_.text(SyntaxTree::field(arg, "name"))) : "";
      TSNode value = keyword ? SyntaxTree::field(arg, "value") : arg;
      if (keyword && key != "dtype") continue;
      std::string name = aliases_.resolve(dotted_name(tree_, value));
      if (name.rfind("torch.", 0) == 0 && name.find("float") != std::string::npos) {
        spec->dtype = name.substr(6);
      } else if (key == "dtype" || name.find("dtype") != std::string::npos) {
        spec->dtype = name.empty() ? std::string(tree_.text(value)) : name;  // resolved from parametrize
      }
      // otherwise a device ("cuda", device): the dtype stays
    }
    return true;
  }

  bool scaled_tensor(TSNode node, TensorSpec* spec, int depth) {
    TSNode left = SyntaxTree::field(node, "left"), right = SyntaxTree::field(node, "right");
    std::string op(tree_.text(SyntaxTree::field(node, "operator")));
    double number = 0;
    bool right_is_number = parse_number(tree_.text(right), &number);
    bool left_is_number = !right_is_number && parse_number(tree_.text(left), &number);
    if (!right_is_number && !left_is_number) return false;
    if (!tensor_spec(right_is_number ? left : right, spec, depth + 1)) return false;
    if (op == "*") {
      spec->scale *= number;
      spec->offset *= number;
    } else if (op == "+") {
      spec->offset += number;
    } else if (op == "-" && right_is_number) {
      spec->offset -= number;
    } else {
      return false;
    }
    return true;
  }

  // Dimensions as written: literals also land in spec->shape; names and expressions (from
  // parametrize, say) only in spec->dims, for the matcher to resolve.
  bool read_dims(TSNode node, TensorSpec* spec) {
    auto type = SyntaxTree::type(node);
    if (type == "tuple" || type == "list") {
      for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
        if (!read_dims(ts_node_named_child(node, i), spec)) return false;
      }
      return true;
    }
    if (type == "keyword_argument" || type == "string" || type == "float") return false;
    // torch.randn(*shape): one name standing for the whole shape, as parametrize gives it.
    if (type == "list_splat") {
      TSNode inner = ts_node_named_child(node, 0);
      if (SyntaxTree::type(inner) != "identifier" || !spec->dims.empty()) return false;
      spec->dims.push_back(std::string(tree_.text(inner)));
      return true;
    }
    // A dimension the test binds to a number first (M = 4096) is that number.
    if (type == "identifier") {
      auto bound = bindings_.find(std::string(tree_.text(node)));
      if (bound != bindings_.end() && SyntaxTree::type(bound->second) == "integer") {
        node = bound->second;
        type = "integer";
      }
    }
    spec->dims.push_back(std::string(tree_.text(node)));
    if (type == "integer") {
      try {
        spec->shape.push_back(std::stoll(spec->dims.back(), nullptr, 0));
      } catch (...) {
        return false;
      }
    }
    return true;
  }

  const SyntaxTree& tree_;
  const ImportAliases& aliases_;
  std::map<std::string, TSNode> bindings_;
  std::map<std::string, std::pair<int, int>> parts_;  // names unpacked from a call: position, count
};

}  // namespace

std::vector<Comparison> find_comparisons(const SyntaxTree& tree, const ImportAliases& aliases,
                                         std::span<const CallNode> calls, std::span<const TSNode> assignments) {
  TestReader reader(tree, aliases);
  reader.collect_bindings(assignments);
  std::vector<Comparison> comparisons;
  for (const auto& c : calls) {
    std::string name = dotted_name(tree, c.callee);
    if (name.empty() || !is_comparison(name)) continue;
    // torch.equal(a, b) or torch.allclose(a, b) as a statement of its own checks nothing: the
    // answer is dropped. Assertions (assert_close, a repository's check_close) raise instead.
    std::string last = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    if ((last == "equal" || last == "allclose" || last == "isclose") &&
        SyntaxTree::type(ts_node_parent(c.call)) == "expression_statement") {
      continue;
    }
    std::vector<TSNode> positional;
    for (uint32_t i = 0; i < ts_node_named_child_count(c.args); ++i) {
      TSNode arg = ts_node_named_child(c.args, i);
      auto type = SyntaxTree::type(arg);
      // assert_close("o", ref, tri): a repository's wrapper may lead with a label.
      if (type == "string" && positional.empty()) continue;
      if (type != "keyword_argument") positional.push_back(arg);
    }
    if (positional.size() < 2) continue;
    Comparison comparison;
    comparison.assertion = aliases.resolve(name);
    comparison.line = static_cast<int>(ts_node_start_point(c.call).row) + 1;
    uint32_t at = ts_node_start_byte(c.call);
    TSNode actual{}, expected{};
    bool actual_is_call = reader.call_site(positional[0], &comparison.actual, at, calls, assignments, &actual);
    bool expected_is_call = reader.call_site(positional[1], &comparison.expected, at, calls, assignments, &expected);
    if (!actual_is_call && !expected_is_call) continue;
    if (actual_is_call && expected_is_call) {
      bool actual_first = ts_node_start_byte(actual) < ts_node_start_byte(expected);
      TSNode first = actual_first ? actual : expected, second = actual_first ? expected : actual;
      CallSite& earlier = actual_first ? comparison.actual : comparison.expected;
      earlier.inputs_rebound = reader.rebinds_between(first, second, assignments);
    }
    comparison.copies = reader.copies();
    comparison.helper_copies = reader.helper_copies();
    comparisons.push_back(std::move(comparison));
  }
  return comparisons;
}

Parametrize read_parametrize(const SyntaxTree& tree, TSNode names, TSNode cases) {
  Parametrize out;
  auto unquote = [&](TSNode node) {
    std::string text(tree.text(node));
    size_t start = text.find_first_of("'\"");
    size_t end = text.find_last_of("'\"");
    return start == std::string::npos || end <= start ? text : text.substr(start + 1, end - start - 1);
  };
  auto type = SyntaxTree::type(names);
  if (type == "string") {
    std::string joined = unquote(names);
    size_t start = 0;
    while (start <= joined.size()) {
      size_t comma = joined.find(',', start);
      std::string name = joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      if (!name.empty()) out.names.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (type == "list" || type == "tuple") {
    for (TSNode name : named_children(names)) out.names.push_back(unquote(name));
  }
  auto cases_type = SyntaxTree::type(cases);
  if (out.names.empty() || (cases_type != "list" && cases_type != "tuple")) return {};
  for (TSNode item : named_children(cases)) {
    auto item_type = SyntaxTree::type(item);
    std::vector<std::string> values;
    if (out.names.size() > 1 && (item_type == "tuple" || item_type == "list")) {
      for (TSNode value : named_children(item)) values.push_back(std::string(tree.text(value)));
    } else {
      values.push_back(std::string(tree.text(item)));
    }
    if (values.size() == out.names.size()) out.cases.push_back(std::move(values));
  }
  return out;
}

}  // namespace tritonpile::extractor
