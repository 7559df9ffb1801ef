#include "extractor/test_finder.h"

#include <map>
#include <set>

#include "extractor/query.h"

namespace tritonpile::extractor {
namespace {

const std::set<std::string> kTensorConstructors = {"randn", "rand", "ones", "zeros", "empty", "randint"};

bool is_comparison(const std::string& callee) {
  std::string last = callee.substr(callee.rfind('.') + 1);
  return last.find("allclose") != std::string::npos || last.find("assert_close") != std::string::npos ||
         last == "assert_equal";
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

  void collect_bindings(TSNode function) {
    walk(function, [&](TSNode node) {
      if (SyntaxTree::type(node) != "assignment") return;
      TSNode left = SyntaxTree::field(node, "left");
      TSNode right = SyntaxTree::field(node, "right");
      if (!ts_node_is_null(right) && SyntaxTree::type(left) == "identifier") {
        bindings_[std::string(tree_.text(left))] = right;
      }
    });
  }

  // Reads one side of a comparison; a side that is not a call keeps only its text.
  bool call_site(TSNode node, CallSite* site) {
    if (SyntaxTree::type(node) == "identifier") {
      auto it = bindings_.find(std::string(tree_.text(node)));
      if (it != bindings_.end()) node = it->second;
    }
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

 private:
  template <typename F>
  void walk(TSNode node, const F& visit) {
    visit(node);
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) walk(ts_node_named_child(node, i), visit);
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
    std::string callee = aliases_.resolve(dotted_name(tree_, SyntaxTree::field(node, "function")));
    if (callee.rfind("torch.", 0) != 0 || !kTensorConstructors.count(callee.substr(6))) return false;
    spec->constructor = callee.substr(6);
    TSNode args = SyntaxTree::field(node, "arguments");
    for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
      TSNode arg = ts_node_named_child(args, i);
      if (SyntaxTree::type(arg) == "keyword_argument") {
        std::string_view key = tree_.text(SyntaxTree::field(arg, "name"));
        TSNode value = SyntaxTree::field(arg, "value");
        if (key == "dtype") {
          std::string dtype = aliases_.resolve(dotted_name(tree_, value));
          if (dtype.rfind("torch.", 0) != 0) return false;
          spec->dtype = dtype.substr(6);
        } else if (key == "size" && !read_dims(value, &spec->shape)) {
          return false;
        }
        continue;
      }
      if (!read_dims(arg, &spec->shape)) return false;
    }
    if (spec->constructor == "randint") return false;  // needs low/high, not yet read
    return !spec->shape.empty();
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

  bool read_dims(TSNode node, std::vector<int64_t>* dims) {
    auto type = SyntaxTree::type(node);
    if (type == "integer") {
      dims->push_back(std::stoll(std::string(tree_.text(node)), nullptr, 0));
      return true;
    }
    if (type == "tuple" || type == "list") {
      for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
        if (!read_dims(ts_node_named_child(node, i), dims)) return false;
      }
      return true;
    }
    return false;
  }

  const SyntaxTree& tree_;
  const ImportAliases& aliases_;
  std::map<std::string, TSNode> bindings_;
};

}  // namespace

std::vector<Comparison> find_comparisons(const SyntaxTree& tree, const ImportAliases& aliases,
                                         TSNode test_function) {
  TestReader reader(tree, aliases);
  reader.collect_bindings(test_function);
  std::vector<Comparison> comparisons;
  calls_query().for_each_match(tree, test_function, [&](const std::vector<Capture>& captures) {
    TSNode callee{}, args{}, call{};
    for (const auto& c : captures) {
      if (c.name == "callee") callee = c.node;
      if (c.name == "args") args = c.node;
      if (c.name == "call") call = c.node;
    }
    std::string name = dotted_name(tree, callee);
    if (name.empty() || !is_comparison(name)) return;
    std::vector<TSNode> positional;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
      TSNode arg = ts_node_named_child(args, i);
      if (SyntaxTree::type(arg) != "keyword_argument") positional.push_back(arg);
    }
    if (positional.size() < 2) return;
    Comparison comparison;
    comparison.assertion = aliases.resolve(name);
    comparison.line = static_cast<int>(ts_node_start_point(call).row) + 1;
    bool actual_is_call = reader.call_site(positional[0], &comparison.actual);
    bool expected_is_call = reader.call_site(positional[1], &comparison.expected);
    if (!actual_is_call && !expected_is_call) return;
    comparisons.push_back(std::move(comparison));
  });
  return comparisons;
}

}  // namespace tritonpile::extractor
