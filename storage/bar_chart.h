// A small SVG writer for the dataset card's chart: panels of labelled horizontal bars, each
// bar stacked from a few series (the splits), drawn with a legend and the count after each bar.
// The same input always gives the same bytes.
//
// Thread-safe: a pure function.
#pragma once

#include <string>
#include <vector>

namespace tritonpile::storage {

struct BarChartPanel {
  std::string title;
  std::vector<std::string> labels;         // one per bar, top to bottom
  std::vector<std::vector<int>> segments;  // segments[bar][series]: non-negative counts
};

// An SVG document of the panels, stacked top to bottom under the title. A panel's bars share
// its scale: its longest bar spans the plot width.
std::string stacked_bar_chart_svg(const std::string& title, const std::vector<std::string>& series,
                                  const std::vector<BarChartPanel>& panels);

}  // namespace tritonpile::storage
