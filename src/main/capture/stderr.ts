// Reading tshark's stderr: which problem it reports (no permission, no such interface, a bad filter),
// and its real error lines without the noise it prints on every start ("Running as user root", the
// config-file warnings, "Capturing on"). tshark's own text, never a peer's, reaches these patterns.

export type Problem = 'permission' | 'no-interfaces' | 'no-such-interface' | 'bad-filter' | 'other'

/** Reads tshark's own error text: the config-file "permission" warnings tshark prints are not it. */
export function classifyError(stderr: string): Problem {
  const s = stderr.toLowerCase()
  if (
    /you (?:do not|don't) have permission to capture/.test(s) ||
    /couldn't run .*dumpcap.*(?:permission|not permitted)/.test(s) ||
    /dumpcap.*permission denied/.test(s) ||
    /(?:socket|pcap_activate\(\) failed).*operation not permitted/.test(s) ||
    /capabilities of the capture device .* could not be obtained/.test(s) ||
    /cannot open bpf device|\/dev\/bpf.*permission denied/.test(s) ||
    /sufficient permissions/.test(s)
  )
    return 'permission'
  if (/there are no interfaces on which a capture can be done|no interfaces found/.test(s)) return 'no-interfaces'
  if (
    /no such device|there is no device named|the capture session could not be initiated.*(?:no such|doesn't exist)|there is no interface with that adapter index|isn't a valid interface/.test(
      s,
    )
  )
    return 'no-such-interface'
  if (/invalid capture filter|can't parse filter expression/.test(s)) return 'bad-filter'
  return 'other'
}

const NOISE =
  /^Running as user|This could be dangerous|^Capturing on|^\*\* \(tshark|\[Main MESSAGE\]|You don't have permission to read the file|^Error loading table|^\d+ packets? captured|^-- /

/** tshark's real error lines, without the noise it prints on every start. */
export function errorText(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^tshark:\s*/, '').trim())
    .filter((l) => l && !NOISE.test(l))
    .slice(0, 3)
    .join(' ')
}
