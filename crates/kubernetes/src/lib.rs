//! Kubernetes manifests: [`lower`] finds the objects of a YAML or JSON stream (`List` kinds included) and
//! lowers the pod spec of every workload kind to the container model, one
//! [`Container`](plimsoll_model::Container) per container, init container and ephemeral container, with
//! the pod's securityContext under the container's own.

mod object;
mod pod;
pub mod values;
mod workload;

pub use object::{Object, objects};
pub use workload::pod_spec_path;

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

pub fn lower(tree: &Tree) -> KubernetesFile {
    let objects = objects(tree);
    let mut model = Model::default();
    for object in &objects {
        let Some(spec) = workload::pod_spec(tree, object) else { continue };
        let template = workload::pod_template_metadata(tree, object);
        for container in pod::containers(tree, spec, template) {
            if let Some(image) = &container.image {
                model.images.push(image.clone());
            }
            model.containers.push(container);
        }
    }
    KubernetesFile { objects, model }
}
