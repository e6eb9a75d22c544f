/* open_by_handle_at(2): the "shocker" escape (opens host files by inode handle). */
#include "probe.h"
#include <fcntl.h>
int main(void) {
  struct {
    struct file_handle h;
    unsigned char bytes[8];
  } fh;
  memset(&fh, 0, sizeof fh);
  fh.h.handle_bytes = 8;
  fh.h.handle_type = 1;
  return report("open-by-handle-at", syscall(SYS_open_by_handle_at, AT_FDCWD, &fh.h, O_RDONLY));
}
