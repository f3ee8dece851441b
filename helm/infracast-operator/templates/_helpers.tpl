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
# "patch" adds and removes the operator's finalizer (see README's Deleting). No "get": should removing it
# conflict, JOSDK's re-read is refused and the cleanup retried from the informer's newer copy.
- apiGroups: ["infracast.io"]
  resources: ["infracastinstallations"]
  verbs: ["list", "watch", "patch"]
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
# "get": the finalizer looks for the terraform destroy Job by name.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch"]
# A failed Job's condition does not say why: its pods' termination messages do. Listed once per failed Job
# (by its job-name label), never watched.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["list", "watch", "create", "patch"]
# "delete": the OpenTofu runner's ServiceAccount goes when an installation leaves the terraform provisioner.
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Informers see only Secrets the operator labels; "get" reads OpenTofu's state by name (a referenced Secret
# too, until its watch has it: see README.md); "update" only because the runner's Role grants it, as it grants
# "get" (RBAC lets nobody grant more than it holds).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# The terraform provisioner: the runner's Role and RoleBinding, and the Lease verbs that Role grants.
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
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
# The finalizer reads the bucket, the instance and its subnet group by name ("get"; the snapshots it lists by
# label) and puts ACK's retain annotation back where it went ("patch"); "delete" applies deletionPolicy
# Snapshot or Delete to the instance and its subnet group.
- apiGroups: ["s3.services.k8s.aws"]
  resources: ["buckets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["rds.services.k8s.aws"]
  resources: ["dbsnapshots"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["rds.services.k8s.aws"]
  resources: ["dbinstances", "dbsubnetgroups"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
{{- end -}}
