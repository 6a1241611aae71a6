{{- define "sd.name" -}}{{ .Release.Name }}{{- end -}}

{{- define "sd.labels" -}}
app.kubernetes.io/name: smart-dairy
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "sd.selector" -}}
app.kubernetes.io/name: smart-dairy
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sd.secretName" -}}
{{- if .Values.existingSecret }}{{ .Values.existingSecret }}{{ else }}{{ include "sd.name" . }}-secrets{{ end -}}
{{- end -}}

{{- define "sd.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{/* The pod-level settings every app pod shares. */}}
{{- define "sd.podCommon" -}}
serviceAccountName: {{ if .Values.serviceAccount.create }}{{ include "sd.name" . }}{{ else }}default{{ end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Environment of every app container: the ConfigMap, the Secret, the KV URL. */}}
{{- define "sd.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "sd.name" . }}-env
  - secretRef:
      name: {{ include "sd.secretName" . }}
{{- end -}}

{{/* /data (DATA_DIR) and /tmp: the only writable places, emptyDirs. */}}
{{- define "sd.volumeMounts" -}}
volumeMounts:
  - { name: data, mountPath: /data }
  - { name: tmp, mountPath: /tmp }
{{- end -}}
{{- define "sd.volumes" -}}
volumes:
  - { name: data, emptyDir: { sizeLimit: 1Gi } }
  - { name: tmp, emptyDir: { sizeLimit: 256Mi } }
{{- end -}}
