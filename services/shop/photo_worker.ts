/**
 * The Worker thread of the photo codec (see runCodec in photo_codec.ts): one request in, one reply
 * out. Decoding and encoding are CPU-bound WebAssembly; here they keep off the server's thread.
 */
import {
  type CodecReply,
  type CodecRequest,
  decodePhoto,
  makeSizes,
  PhotoCodecError,
} from "./photo_codec.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<CodecRequest>) => void) | null;
  postMessage(msg: CodecReply, transfer?: Transferable[]): void;
};

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    if (req.op === "probe") {
      const { image, type, orientation } = await decodePhoto(req.bytes);
      const swap = orientation >= 5;
      scope.postMessage({
        ok: true,
        op: "probe",
        type,
        width: swap ? image.height : image.width,
        height: swap ? image.width : image.height,
      });
    } else {
      const timings: Record<string, number> = {};
      const r = await makeSizes(req.bytes, timings);
      scope.postMessage(
        { ok: true, op: "sizes", ...r, timings },
        r.sizes.map((s) => s.bytes.buffer as ArrayBuffer),
      );
    }
  } catch (err) {
    scope.postMessage({
      ok: false,
      problem: err instanceof PhotoCodecError ? err.problem : null,
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
