#pragma once
// Putting points (anything with a `t`) in time order, stably: equal times keep their order.
// Points read back from chunks, history rows or a run are nearly always in order already, and
// a stable sort of values holding a std::variant moves every one of them (a quarter of a series
// export's CPU once): the check first costs one pass.
#include <algorithm>
#include <vector>

namespace sb {

template <class Point>
void sort_by_time(std::vector<Point>& points) {
    const auto earlier = [](const Point& a, const Point& b) { return a.t < b.t; };
    if (!std::is_sorted(points.begin(), points.end(), earlier)) std::stable_sort(points.begin(), points.end(), earlier);
}

}  // namespace sb
