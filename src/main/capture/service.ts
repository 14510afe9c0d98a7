// What the host needs from packet capture. The implementation runs tshark (Wireshark's own engine);
// SocketLab never sniffs packets itself.

import type {
  CaptureAvailability,
  CaptureChunk,
  CaptureExportKind,
  CaptureFile,
  CaptureInfo,
  CaptureStartArgs,
  CapturedPacket,
} from '@shared/contract'

export interface CaptureService {
  /** Is tshark installed and allowed to capture? Lists the interfaces it can use, with the host's platform. */
  status(): Promise<CaptureAvailability>
  /** Start capturing the exercise port; resolves once tshark really captures. Packets go out as `packets` events. */
  start(args: CaptureStartArgs): Promise<CaptureInfo>
  stop(): Promise<void>
  /** Prepare a file of the capture so far (the .pcapng by default, or the sheet, the diagram, the bundle). */
  save(what?: CaptureExportKind): Promise<CaptureFile>
  /** One bounded chunk of a prepared file. */
  read(fileId: string, offset: number): Promise<CaptureChunk>
  /** A prepared file's path and size, for streaming it (browser mode's HTTP download). */
  fileFor?(fileId: string): { path: string; size: number; filename: string; mime: string } | undefined
  info(): CaptureInfo | null
  /** The packets captured so far (the last few thousand), for a view opened after they went out. */
  packets?(): CapturedPacket[]
  /** Stop and remove the temporary files (when the app closes; `stop` keeps them for `save`). */
  dispose?(): Promise<void>
}
