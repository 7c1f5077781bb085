"""The five pipeline steps. They know nothing of Temporal or HTTP; both runners call them."""
