import mqtt from "mqtt";
const root = "exp" + Math.random().toString(36).slice(2, 7);
const proto = Number(Deno.args[0] ?? 5);
const sub = await mqtt.connectAsync("mqtt://127.0.0.1:1883", {
  clientId: root + "sub", clean: false, protocolVersion: proto as 4 | 5,
  properties: proto === 5 ? { receiveMaximum: 65535, sessionExpiryInterval: 3600 } : undefined,
});
const held: Array<() => void> = [];
let got = 0;
(sub as any).handleMessage = (packet: any, cb: any) => {
  got++;
  const id = packet.messageId;
  cb(new Error("defer")); // progress the pump without puback
  held.push(() => (sub as any)._sendPacket({ cmd: "puback", messageId: id }, () => {}));
};
sub.on("error", (e) => console.log("sub error", e.message));
console.log(await sub.subscribeAsync(`$share/g/${root}/+`, { qos: 1 }));
const pub = await mqtt.connectAsync("mqtt://127.0.0.1:1883", { protocolVersion: 4 });
for (let i = 0; i < 500; i++) pub.publish(`${root}/a`, "x" + i, { qos: 1 });
await new Promise((r) => setTimeout(r, 1000));
console.log("received without acks:", got);
for (const h of held.splice(0)) h();
await new Promise((r) => setTimeout(r, 1000));
console.log("after acking:", got);
for (const h of held.splice(0)) h();
await new Promise((r) => setTimeout(r, 500));
console.log("after acking 2:", got);
await sub.endAsync(); await pub.endAsync();
