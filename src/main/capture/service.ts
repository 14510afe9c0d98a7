// What the host needs from packet capture. The implementation runs tshark (Wireshark's own engine);
// SocketLab never sniffs packets itself.

import type { CaptureAvailability, CaptureInfo, CaptureStartArgs, CapturedPacket } from '@shared/contract'

export interface CaptureService {
  /** Is tshark installed and allowed to capture? Lists the interfaces it can use. */
  status(): Promise<CaptureAvailability>
  /** Start capturing the exercise port; packets go out as `packets` events through the recorder. */
  start(args: CaptureStartArgs): Promise<CaptureInfo>
  stop(): Promise<void>
  /** The capture so far as a .pcapng file Wireshark opens. */
  save(): Promise<{ filename: string; base64: string }>
  info(): CaptureInfo | null
  /** The packets captured so far (the last few thousand), for a view opened after they went out. */
  packets?(): CapturedPacket[]
  /** Stop and remove the temporary capture file (when the app closes; `stop` keeps it for `save`). */
  dispose?(): Promise<void>
}
