## Guardar presupuestos y contratar seguros (los recorridos save-quote, add-quote, buy-car y buy-life).

journey-save-quote-title = Guardar tu presupuesto
journey-add-quote-title = Añadir un presupuesto a tu cuenta
journey-buy-car-title = Contratar un seguro de coche
journey-buy-life-title = Contratar un seguro de vida
save-quote-title = Guarda tu presupuesto
no-quote-title = No encontramos este presupuesto
no-quote-body = Puede que el presupuesto haya caducado o que sea de otro producto. Pide un presupuesto nuevo en la página y guárdalo.
save-quote-locked-title = Guardado detenido
save-quote-locked-body = El código se introdujo mal demasiadas veces, así que nos detuvimos para proteger tu cuenta. Vuelve a pedir tu presupuesto para recibir un código nuevo.
buy-car-title = Contrata tu seguro de coche
buy-car-profile-title = Tus datos para la póliza
buy-no-quote-title = Primero pide un presupuesto
buy-no-quote-body = No encontramos ningún presupuesto de coche guardado en tu cuenta. Pide un presupuesto para tu coche, guárdalo y vuelve para contratarlo.
buy-refused-title = No podemos asegurarte sin ellos
buy-refused-body = Una póliza requiere aceptar las condiciones de uso y el aviso de privacidad. No se ha contratado ni cambiado nada. Puedes volver cuando quieras.
buy-locked-title = Contratación detenida
buy-locked-body = El código se introdujo mal demasiadas veces, así que nos detuvimos para proteger tu cuenta. No se ha contratado nada. Empieza de nuevo para recibir un código nuevo.
buy-life-not-yet-title = Todavía no es posible contratar un seguro de vida en línea
buy-life-not-yet-body = Un seguro de vida requiere verificar tu identidad, y aún no podemos hacerlo en línea. No se ha contratado nada ni se ha cambiado nada en tu cuenta. Llámanos y te ayudaremos.
