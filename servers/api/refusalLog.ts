/**
 * The API's log of refused calls, summarised under load: the first refusal of each kind is printed
 * as it happens, repeats are counted and printed as one line per kind when the window closes, and
 * past a few kinds per window (an attacker varying paths) the rest are only counted. A flood of bad
 * tokens costs a few lines, not megabytes, and a presenter's terminal stays readable.
 */
export interface RefusalLog {
  /** Logs `line` now if it is new in this window, else counts it. */
  refused(line: string): void;
  /** Prints the window's counts and starts a new window. */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

export interface RefusalLogOptions {
  /** How long a window lasts (default 10 s). */
  windowMs?: number;
  /** How many kinds of refusal a window prints before it only counts (default 20). */
  maxKinds?: number;
}

export function createRefusalLog(log: (line: string) => void, options: RefusalLogOptions = {}): RefusalLog {
  const windowMs = options.windowMs ?? 10_000;
  const maxKinds = options.maxKinds ?? 20;
  const repeats = new Map<string, number>();
  let others = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const seconds = Math.round(windowMs / 1000);
    for (const [line, count] of repeats) if (count > 0) log(`${line} ×${count} more in the last ${seconds} s`);
    if (others > 0) log(`api: ${others} more refused calls of other kinds in the last ${seconds} s (not printed one by one)`);
    repeats.clear();
    others = 0;
  };

  return {
    refused(line) {
      const count = repeats.get(line);
      if (count !== undefined) repeats.set(line, count + 1);
      else if (repeats.size < maxKinds) {
        log(line);
        repeats.set(line, 0);
      } else others++;
      if (!timer) {
        timer = setTimeout(flush, windowMs);
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}
