#include "storage/bar_chart.h"

#include <algorithm>
#include <numeric>

namespace tritonpile::storage {
namespace {

constexpr int kWidth = 760;
constexpr int kLabelWidth = 200;  // labels right-aligned up to here
constexpr int kPlotLeft = kLabelWidth + 10;
constexpr int kPlotWidth = 460;
constexpr int kBarHeight = 16;
constexpr int kBarGap = 5;
constexpr int kTitleHeight = 34;
constexpr int kPanelTitleHeight = 26;
constexpr int kPanelGap = 16;
constexpr size_t kMaxLabel = 30;

// Colour-blind-safe (Okabe-Ito), in series order.
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"};

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string shortened(const std::string& label) {
  return label.size() <= kMaxLabel ? label : label.substr(0, kMaxLabel - 3) + "...";
}

std::string text(int x, int y, const std::string& content, const std::string& attributes = "") {
  return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\"" + attributes + ">" +
         escaped(content) + "</text>\n";
}

std::string rect(int x, int y, int width, int height, const char* colour) {
  return "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" fill=\"" + colour + "\"/>\n";
}

// Draws the panel from top y; returns the y below it.
int draw_panel(const BarChartPanel& panel, int y, std::string& svg) {
  svg += text(10, y + 18, panel.title, " class=\"panel\"");
  y += kPanelTitleHeight;
  int longest = 0;
  for (const auto& segments : panel.segments) longest = std::max(longest, std::accumulate(segments.begin(), segments.end(), 0));
  for (size_t bar = 0; bar < panel.labels.size(); ++bar) {
    svg += text(kLabelWidth, y + kBarHeight - 4, shortened(panel.labels[bar]), " text-anchor=\"end\"");
    int x = kPlotLeft, total = 0;
    const std::vector<int>& segments = panel.segments[bar];
    for (size_t series = 0; series < segments.size(); ++series) {
      total += segments[series];
      // Widths come from running totals, so rounding never makes a bar longer than its count.
      int end = kPlotLeft + (longest ? total * kPlotWidth / longest : 0);
      if (end > x) svg += rect(x, y, end - x, kBarHeight, kColours[series % std::size(kColours)]);
      x = end;
    }
    svg += text(x + 6, y + kBarHeight - 4, std::to_string(total));
    y += kBarHeight + kBarGap;
  }
  return y + kPanelGap;
}

}  // namespace

std::string stacked_bar_chart_svg(const std::string& title, const std::vector<std::string>& series,
                                  const std::vector<BarChartPanel>& panels) {
  std::string body;
  int y = kTitleHeight;
  int x = kPlotLeft;
  for (size_t i = 0; i < series.size(); ++i) {
    body += rect(x, y - 11, 12, 12, kColours[i % std::size(kColours)]);
    body += text(x + 17, y, series[i]);
    x += 30 + 8 * static_cast<int>(series[i].size());
  }
  y += 14;
  for (const BarChartPanel& panel : panels) y = draw_panel(panel, y, body);
  std::string height = std::to_string(y);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) + "\" height=\"" + height +
         "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + height + "\" font-family=\"sans-serif\" font-size=\"12\">\n" +
         "<style>.title { font-size: 16px; font-weight: bold; } .panel { font-size: 13px; font-weight: bold; }</style>\n" +
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + text(10, 22, title, " class=\"title\"") + body +
         "</svg>\n";
}

}  // namespace tritonpile::storage
