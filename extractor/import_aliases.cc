#include "extractor/import_aliases.h"

#include "extractor/query.h"

namespace tritonpile::extractor {

std::string dotted_name(const SyntaxTree& tree, TSNode node) {
  auto type = SyntaxTree::type(node);
  if (type == "identifier") return std::string(tree.text(node));
  if (type == "attribute") {
    std::string object = dotted_name(tree, SyntaxTree::field(node, "object"));
    if (object.empty()) return {};
    return object + "." + std::string(tree.text(SyntaxTree::field(node, "attribute")));
  }
  return {};
}

ImportAliases ImportAliases::collect(const SyntaxTree& tree, const MatchList& imports) {
  ImportAliases aliases;
  for (const auto& captures : imports) {
    std::string module, from, member, alias;
    for (const auto& c : captures) {
      std::string text(tree.text(c.node));
      if (c.name == "module") module = text;
      if (c.name == "from") from = text;
      if (c.name == "member") member = text;
      if (c.name == "alias") alias = text;
    }
    if (!from.empty() && !member.empty()) {  // a star import binds no name of its own
      std::string qualified = from + "." + member;
      aliases.names_[alias.empty() ? member : alias] = qualified;
    } else if (!module.empty()) {
      if (!alias.empty()) {
        aliases.names_[alias] = module;
      } else {
        // `import triton.language` binds `triton`.
        std::string head = module.substr(0, module.find('.'));
        aliases.names_[head] = head;
      }
    }
  }
  return aliases;
}

bool ImportAliases::imports_module(const std::string& module) const {
  for (const auto& [local, qualified] : names_) {
    if (qualified == module || qualified.rfind(module + ".", 0) == 0) return true;
  }
  return false;
}

std::string ImportAliases::resolve(std::string_view dotted) const {
  auto dot = dotted.find('.');
  std::string head(dotted.substr(0, dot));
  auto it = names_.find(head);
  if (it == names_.end()) return std::string(dotted);
  return dot == std::string_view::npos ? it->second : it->second + std::string(dotted.substr(dot));
}

}  // namespace tritonpile::extractor
