//! Kubernetes manifests: [`lower`] finds the objects of a YAML or JSON stream (`List` kinds included) and
//! lowers the pod spec of every workload kind to the container model, one
//! [`Container`](plimsoll_model::Container) per container, init container and ephemeral container, with
//! the pod's securityContext under the container's own.

pub mod grants;
mod object;
mod pod;
mod prescan;
pub mod project;
pub mod rbac;
pub mod values;
mod workload;

pub use object::{Object, objects, objects_with};
pub use prescan::holds_no_facts;
pub use project::Project;
pub use values::{boolean, entry_range, integer, string, value_range};
pub use workload::{WorkloadKinds, is_checked, is_patch, pod_labels, pod_spec_path, pod_template_metadata};

use plimsoll_model::Model;
use plimsoll_yaml::Tree;

/// What a manifest lowers to.
#[derive(Clone, Debug, Default)]
pub struct KubernetesFile {
    /// Every object with an `apiVersion` and a `kind`, in document order.
    pub objects: Vec<Object>,
    /// The containers of the workloads among them, and their images.
    pub model: Model,
}

/// Lowers a manifest on its own.
pub fn lower(tree: &Tree) -> KubernetesFile {
    lower_in(tree, &WorkloadKinds::default(), Project::default().scoped(None))
}

/// Lowers a manifest with the workload kinds configured and what the other files of the run say: a
/// namespace's LimitRange gives containers without limits its defaults.
pub fn lower_in(tree: &Tree, kinds: &WorkloadKinds, project: project::Scoped) -> KubernetesFile {
    let objects = objects_with(tree, kinds);
    let mut model = Model::default();
    for object in &objects {
        let Some(spec) = object.pod_spec else { continue };
        let template = workload::pod_template_metadata(tree, object);
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        let patch = workload::is_patch(tree, object);
        let defaults = project.limit_defaults(namespace);
        for mut container in pod::containers(tree, spec, template) {
            // A patch's container without an image only overrides fields of the container it patches.
            container.partial |= patch && container.image.is_none();
            if let Some(defaults) = &defaults {
                pod::apply_limit_defaults(&mut container, defaults);
            }
            if let Some(image) = &container.image {
                model.images.push(image.clone());
            }
            model.containers.push(container);
        }
    }
    KubernetesFile { objects, model }
}
