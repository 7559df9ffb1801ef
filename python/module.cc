// The Python module `tritonpile` (pybind11): the extractor and a read-only view of a
// tritonpile database, for people who work from Python. Values come back as plain dicts and
// lists, the same shapes as the JSON the CLI prints.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include "extractor/file_extractor.h"
#include "storage/store.h"

namespace py = pybind11;
using tritonpile::storage::Store;

namespace {

py::object to_python(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(value.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(value.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(value.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(value.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list list;
      for (const auto& item : value) list.append(to_python(item));
      return list;
    }
    default: {
      py::dict dict;
      for (const auto& [key, item] : value.items()) dict[py::str(key)] = to_python(item);
      return dict;
    }
  }
}

// A database opened for reading entries; one connection, used from one thread.
class Database {
 public:
  explicit Database(const std::string& path) {
    auto store = Store::open(path);
    if (!store) throw std::runtime_error(store.status().message());
    store_ = std::move(*store);
  }

  py::list entries(std::optional<std::string> split, std::optional<std::string> status, std::optional<int> phase) {
    tritonpile::storage::EntryFilter filter;
    filter.split = split.value_or("");
    filter.status = status.value_or("");
    filter.phase = phase.value_or(0);
    py::list out;
    for (const auto& entry : store_->entries(filter)) out.append(entry_dict(entry));
    return out;
  }

  py::object entry(const std::string& id) {
    auto entry = store_->entry(id);
    if (!entry) throw py::key_error("no entry with id '" + id + "'");
    return entry_dict(*entry);
  }

  py::dict stats() {
    auto s = store_->stats();
    py::dict out;
    out["sources"] = s.sources, out["runs"] = s.runs, out["files"] = s.blobs, out["kernels"] = s.kernels;
    out["launchers"] = s.launchers, out["references"] = s.references, out["tests"] = s.tests;
    out["pairs"] = s.pairs, out["entries"] = s.entries;
    py::dict by_status;
    for (const auto& [status, count] : s.by_status) by_status[py::str(status)] = count;
    out["by_status"] = by_status;
    return out;
  }

 private:
  py::object entry_dict(const tritonpile::storage::Entry& entry) {
    auto validation = store_->latest_validation(entry.id);
    return to_python(tritonpile::storage::entry_json(entry, validation ? &*validation : nullptr));
  }

  std::unique_ptr<Store> store_;
};

}  // namespace

PYBIND11_MODULE(tritonpile, m) {
  m.doc() = "tritonpile: Triton kernels paired with their PyTorch references, from Python.";
  m.def(
      "extract",
      [](const std::string& source, const std::string& path) {
        auto extraction = tritonpile::extractor::extract_file(source, path);
        return to_python(nlohmann::json(extraction));
      },
      py::arg("source"), py::arg("path") = "",
      "Finds the Triton kernels, launchers, PyTorch reference candidates and comparing tests of one Python\n"
      "file's text. Returns a dict with 'kernels', 'launchers', 'references', 'tests', 'wrappers', ...");
  py::class_<Database>(m, "Database", "A tritonpile database, opened with tritonpile.open(path).")
      .def("entries", &Database::entries, py::arg("split") = py::none(), py::arg("status") = py::none(),
           py::arg("phase") = py::none(),
           "The current entries as dicts (the exported JSON format), filtered by split\n"
           "('train', 'test', 'validation'), latest validation status and phase.")
      .def("entry", &Database::entry, py::arg("id"), "One entry by id; KeyError when there is none.")
      .def("stats", &Database::stats, "Counts of what the database holds.");
  m.def(
      "open", [](const std::string& path) { return std::make_unique<Database>(path); }, py::arg("path"),
      "Opens (and migrates) a tritonpile database.");
}
