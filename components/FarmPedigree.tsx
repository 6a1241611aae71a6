/** A pedigree as an indented tree (dam and sire under each animal): readable on a phone. */
import type { FarmMessages, PedigreeNode } from "@/services/farm/mod.ts";

function Node(props: { node: PedigreeNode | null; role: string; m: FarmMessages; root?: boolean }) {
  const { node, m } = props;
  return (
    <li class={props.root ? "" : "border-l-2 border-brand-100 pl-3 ml-1 mt-1"}>
      <span class="text-xs text-gray-500 mr-1">{props.role}</span>
      {node
        ? node.kind === "animal" && !props.root
          ? <a class="text-brand-700 underline" href={`/farm/animals/${node.id}`}>{node.tag}</a>
          : <span class="font-medium">{node.tag}</span>
        : <span class="text-gray-400">{m.herd.unknown}</span>}
      {node?.name && <span class="text-sm text-gray-700">{node.name}</span>}
      {node && (
        <span class="text-xs text-gray-500">
          · {node.breed}
          {node.kind === "bull" ? " · AI" : ""}
        </span>
      )}
      {node && (node.dam || node.sire || node.kind === "animal") &&
        (node.dam !== null || node.sire !== null) && (
        <ul>
          <Node node={node.dam} role="♀" m={m} />
          <Node node={node.sire} role="♂" m={m} />
        </ul>
      )}
    </li>
  );
}

export function FarmPedigree(props: { tree: PedigreeNode; m: FarmMessages }) {
  return (
    <ul class="text-sm">
      <Node node={props.tree} role="" m={props.m} root />
    </ul>
  );
}
