/**
 * The back office's navigation, one line per screen. Each module adds its own entries here;
 * the layout shows only those the signed-in user has the permission for.
 */
import type { Permission } from "@/services/identity/roles.ts";

export interface AdminNavItem {
  href: string;
  en: string;
  bn: string;
  section: "overview" | "sales" | "catalog" | "farm" | "iot" | "people" | "system";
  permission: Permission;
}

export const ADMIN_NAV: AdminNavItem[] = [
  {
    href: "/admin",
    en: "Dashboard",
    bn: "ড্যাশবোর্ড",
    section: "overview",
    permission: "admin.access",
  },
  {
    href: "/admin/users",
    en: "Users",
    bn: "ব্যবহারকারী",
    section: "people",
    permission: "users.manage",
  },
  {
    href: "/admin/outbox",
    en: "Outbox",
    bn: "আউটবক্স",
    section: "system",
    permission: "outbox.view",
  },
  {
    href: "/admin/audit",
    en: "Audit log",
    bn: "অডিট লগ",
    section: "system",
    permission: "audit.view",
  },
];
