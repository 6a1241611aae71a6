import mqtt from "mqtt";
import { Aedes } from "aedes";
import net from "node:net";
const broker = await Aedes.createBroker({
  authorizeSubscribe: (c: any, sub: any, cb: any) => { if (sub.topic.startsWith("$share")) return cb(null, null); cb(null, sub); },
});
const server = net.createServer(broker.handle);
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as any).port;
try {
  const c5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 2000 });
  console.log("v5 connected?!", c5.connected); await c5.endAsync();
} catch (e) { console.log("v5 error:", (e as Error).message, (e as any).code); }
const mk = () => mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: "subX", clean: false, protocolVersion: 4 });
let sub = await mk();
const held: Array<() => void> = [];
let got = 0;
const hook = (s: any) => { s.handleMessage = (packet: any, cb: any) => { got++; const id = packet.messageId; cb(new Error("defer")); held.push(() => s._sendPacket({ cmd: "puback", messageId: id }, () => {})); }; };
hook(sub);
console.log("shared suback", await sub.subscribeAsync(`$share/g/x/+`, { qos: 1 }).catch((e) => "refused " + e.message));
console.log(await sub.subscribeAsync(`x/+`, { qos: 1 }));
const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
for (let i = 0; i < 500; i++) pub.publish(`x/a`, "x" + i, { qos: 1 });
await new Promise((r) => setTimeout(r, 500));
console.log("received without acks:", got);
// ack first 100, then kill abruptly
for (const h of held.splice(0, 100)) h();
await new Promise((r) => setTimeout(r, 200));
sub.end(true); held.length = 0;
for (let i = 500; i < 600; i++) pub.publish(`x/a`, "x" + i, { qos: 1 });
await new Promise((r) => setTimeout(r, 300));
got = 0;
sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: "subX", clean: false, protocolVersion: 4 });
hook(sub);
await new Promise((r) => setTimeout(r, 1000));
console.log("after reconnect got:", got, "expected 500");
for (const h of held.splice(0)) h();
await sub.endAsync(); await pub.endAsync(); server.close(); broker.close();
