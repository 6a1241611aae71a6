/** Every operation of /api/v1, in the order the OpenAPI document lists them. */
import type { Endpoint } from "../endpoint.ts";
import { catalogEndpoints } from "./catalog.ts";
import { orderEndpoints } from "./orders.ts";
import { deliveryEndpoints } from "./deliveries.ts";
import { farmEndpoints } from "./farm.ts";
import { iotEndpoints } from "./iot.ts";
import { webhookEndpoints } from "./webhooks.ts";

export const V1_ENDPOINTS: Endpoint[] = [
  ...catalogEndpoints,
  ...orderEndpoints,
  ...deliveryEndpoints,
  ...farmEndpoints,
  ...iotEndpoints,
  ...webhookEndpoints,
];
