/* perf_event_open(2) counting this task's task-clock. */
#include "probe.h"
#include <linux/perf_event.h>
int main(void) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.type = PERF_TYPE_SOFTWARE;
  a.config = PERF_COUNT_SW_TASK_CLOCK;
  a.disabled = 1;
  return report("perf-event-open", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
}
