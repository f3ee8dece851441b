{{- define "infracast-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "infracast-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "infracast-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "infracast-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "infracast-operator.labels" -}}
{{ include "infracast-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "infracast-operator.serviceAccountName" -}}
{{- default (include "infracast-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The namespaces whose installations the operator reconciles, as WATCH_NAMESPACES reads them. */}}
{{- define "infracast-operator.watchNamespaces" -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}

{{- define "infracast-operator.subject" -}}
- kind: ServiceAccount
  name: {{ include "infracast-operator.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end -}}

{{/*
Exactly what the operator does where installations live; README.md says why each rule is there, and
RbacRulesTest shows what breaks without each verb.
Server-side apply is "patch" (and "create" when the object is new); informers "list" and "watch".
*/}}
{{- define "infracast-operator.rules" -}}
- apiGroups: ["infracast.io"]
  resources: ["infracastinstallations"]
  verbs: ["list", "watch"]
- apiGroups: ["infracast.io"]
  resources: ["infracastinstallations/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion on what the operator creates need it where the
# OwnerReferencesPermissionEnforcement admission plugin runs.
- apiGroups: ["infracast.io"]
  resources: ["infracastinstallations/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["configmaps", "services", "serviceaccounts"]
  verbs: ["list", "watch", "create", "patch"]
# Informers see only Secrets the operator labels; "get" reads a referenced Secret by name (see README.md).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
# AWS Controllers for Kubernetes: the bucket (and database) of installations on the ack provisioner.
- apiGroups: ["s3.services.k8s.aws"]
  resources: ["buckets"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["rds.services.k8s.aws"]
  resources: ["dbinstances", "dbsubnetgroups", "dbsnapshots"]
  verbs: ["list", "watch", "create", "patch"]
{{- end -}}
